package analytics

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultBaseURL is the base URL of the seed's example deployment. Real
// deployments set their own with WithBaseURL or ANALYTICS_BASE_URL.
const DefaultBaseURL = "https://api.example.com/v2"

// Client calls the analytics API. It is safe for concurrent use.
type Client struct {
	core *core.Client
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core  core.Settings
	token string
}

// WithBaseURL sets the API's base URL. http:// is accepted only for loopback
// hosts (tests); everything else must be https.
func WithBaseURL(u string) Option { return func(o *options) error { return o.core.SetBaseURL(u) } }

// WithHTTPClient sets the HTTP client (timeouts, proxies, tracing). The client
// is copied, never modified; nil is an error.
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

// WithToken sets the API token, sent as "Authorization: Bearer <token>".
// Without it NewClient reads ANALYTICS_API_TOKEN.
func WithToken(token string) Option {
	return func(o *options) error {
		if err := core.CheckToken("token", token); err != nil {
			return fmt.Errorf("analytics: WithToken: %w", err)
		}
		o.token = token
		return nil
	}
}

// NewClient returns a Client. Credentials come from WithToken or else the
// ANALYTICS_API_TOKEN environment variable; the base URL from WithBaseURL,
// else ANALYTICS_BASE_URL, else DefaultBaseURL.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, core.PrefixError("analytics", err)
		}
	}
	if o.token == "" {
		if env := os.Getenv("ANALYTICS_API_TOKEN"); env != "" {
			if err := core.CheckToken("token", env); err != nil {
				return nil, fmt.Errorf("analytics: ANALYTICS_API_TOKEN: %w", err)
			}
			o.token = env
		}
	}
	if o.token == "" {
		return nil, errors.New("analytics: no credentials: use WithToken or set ANALYTICS_API_TOKEN")
	}
	if !o.core.BaseURLSet() {
		if env := os.Getenv("ANALYTICS_BASE_URL"); env != "" {
			if err := o.core.SetBaseURL(env); err != nil {
				// Unwrapped: the problem is the variable, not WithBaseURL.
				return nil, fmt.Errorf("analytics: ANALYTICS_BASE_URL: %w", errors.Unwrap(err))
			}
		}
	}
	c, err := core.New(core.Config{
		Provider:       "analytics",
		Settings:       o.core,
		DefaultBaseURL: DefaultBaseURL,
		Auth:           core.BearerToken(o.token),
		NewError:       newAPIError,
	})
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}
