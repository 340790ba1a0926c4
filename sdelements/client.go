package sdelements

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/activitysdk/activity-go/internal/core"
)

// Environment variables read by NewClient when the matching option is not
// given.
const (
	// EnvToken holds the API token (WithToken).
	EnvToken = "SDE_API_TOKEN"
	// EnvBaseURL holds the instance URL (WithBaseURL).
	EnvBaseURL = "SDE_BASE_URL"
)

// Client calls the activities endpoints of one SD Elements instance. It is
// safe for concurrent use.
type Client struct {
	core *core.Client
	// listPath is the escaped path of the activities list, base path
	// included, which every next link must keep.
	listPath string
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core  core.Settings
	token string
}

// WithBaseURL sets the URL of the SD Elements instance, such as
// "https://sde.example.com". There is no default: every customer has its own
// instance. A URL that already ends in "/api/v2" is accepted and the suffix
// removed, so "https://sde.example.com/api/v2" and "https://sde.example.com"
// are the same instance; any other path (an instance behind a path prefix)
// is kept. http:// is accepted only for loopback hosts (tests); everything
// else must be https. Without this option NewClient reads SDE_BASE_URL.
func WithBaseURL(u string) Option {
	return func(o *options) error { return setInstanceURL(&o.core, u) }
}

// setInstanceURL validates u and stores it without a trailing "/api/v2".
func setInstanceURL(s *core.Settings, raw string) error {
	u, err := core.ParseBaseURL(raw)
	if err != nil {
		return fmt.Errorf("sdelements: WithBaseURL: %w", err)
	}
	const suffix = "/api/v2"
	if strings.HasSuffix(strings.ToLower(u.Path), suffix) {
		u.Path = u.Path[:len(u.Path)-len(suffix)]
		if strings.HasSuffix(strings.ToLower(u.RawPath), suffix) {
			u.RawPath = u.RawPath[:len(u.RawPath)-len(suffix)]
		} else {
			u.RawPath = ""
		}
	}
	if err := s.SetBaseURL(u.String()); err != nil {
		return fmt.Errorf("sdelements: WithBaseURL: %w", err)
	}
	return nil
}

// WithHTTPClient sets the HTTP client (timeouts, proxies, tracing). The client
// is copied, never modified.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.core.SetHTTPClient(c) }
}

// WithUserAgent appends ua to the User-Agent "activity-go/<version>".
func WithUserAgent(ua string) Option {
	return func(o *options) error { return o.core.SetUserAgent(ua) }
}

// WithRetryPolicy sets how requests are retried. See RetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) error { return o.core.SetRetryPolicy(p) }
}

// WithLogger sets the logger for request, retry and wait events. Credentials
// are never logged. nil means silent (the default).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.core.SetLogger(l) } }

// WithMaxBodyBytes caps the body of a successful answer at n bytes, counted
// after decompression (a gzip answer is measured as it inflates). The default
// is 32 MiB (core's DefaultMaxBodyBytes), well above any page the API sends. A
// body past the cap is not read further: the call fails with a *RequestError
// wrapping ErrBodyTooLarge that names the limit, and is not retried. Memory
// stays bounded whatever a server sends. Error answers are always cut at 1 MiB
// whatever n is. n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.core.SetMaxBodyBytes(n) }
}

// WithRateLimit sets a client-side limit of perSecond requests with the given
// burst. Every request, page and retry waits on it, within its context.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.core.SetRateLimit(perSecond, burst) }
}

// WithReadAhead makes list walks fetch up to pages pages ahead of the code
// consuming them (0, the default, fetches a page only when the previous one
// is done; at most 16). Order, items and page tokens are the same either way.
func WithReadAhead(pages int) Option {
	return func(o *options) error { return o.core.SetReadAhead(pages) }
}

// WithToken sets the API token, sent as "Authorization: Token <token>" (the
// token as shown in the SD Elements user settings, without quotes). Without
// it NewClient reads SDE_API_TOKEN.
func WithToken(token string) Option {
	return func(o *options) error {
		if err := checkToken(token); err != nil {
			return fmt.Errorf("sdelements: WithToken: %w", err)
		}
		o.token = token
		return nil
	}
}

func checkToken(token string) error { return core.CheckToken("token", token) }

// NewClient returns a Client for one instance. The token comes from WithToken
// or else SDE_API_TOKEN; the instance URL from WithBaseURL or else
// SDE_BASE_URL. Both are required: with neither source set NewClient fails
// with an error naming the option and the variable.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, core.PrefixError("sdelements", err)
		}
	}
	if o.token == "" {
		if env := os.Getenv(EnvToken); env != "" {
			if err := checkToken(env); err != nil {
				return nil, fmt.Errorf("sdelements: %s: %w", EnvToken, err)
			}
			o.token = env
		}
	}
	if o.token == "" {
		return nil, errors.New("sdelements: no credentials: use WithToken or set " + EnvToken)
	}
	if !o.core.BaseURLSet() {
		env := os.Getenv(EnvBaseURL)
		if env == "" {
			return nil, errors.New("sdelements: no instance URL: use WithBaseURL or set " + EnvBaseURL +
				" (for example https://sde.example.com)")
		}
		if err := setInstanceURL(&o.core, env); err != nil {
			return nil, fmt.Errorf("sdelements: %s: %w", EnvBaseURL, errors.Unwrap(err))
		}
	}
	c, err := core.New(core.Config{
		Provider: "sdelements",
		Settings: o.core,
		Auth:     core.SchemeToken("Token", o.token),
		Header:   http.Header{"Accept": {"application/json"}},
		NewError: newAPIError,
	})
	if err != nil {
		return nil, err
	}
	return &Client{core: c, listPath: c.BaseURL().EscapedPath() + activitiesPath}, nil
}

// activitiesPath is the list path below the instance URL. SD Elements paths
// end in a slash.
var activitiesPath = core.Path("api", "v2", "activities") + "/"

// BaseURL returns the instance URL the client calls, without "/api/v2".
func (c *Client) BaseURL() string { return c.core.BaseURL().String() }
