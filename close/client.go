package close

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultBaseURL is Close's API base URL.
const DefaultBaseURL = "https://api.close.com/api/v1"

// EnvAPIKey is the environment variable NewClient reads the API key from when
// neither WithAPIKey nor WithTokenSource is given.
const EnvAPIKey = "CLOSE_API_KEY"

// Client calls the Close API. It is safe for concurrent use.
type Client struct {
	core *core.Client
	now  func() time.Time

	mu   sync.Mutex
	last RateLimit
	seen bool
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core   core.Settings
	apiKey string
	ts     oauth2.TokenSource
}

// WithBaseURL sets the API's base URL (default DefaultBaseURL), for a test
// server such as closetest. http:// is accepted only for loopback hosts;
// everything else must be https.
func WithBaseURL(u string) Option { return func(o *options) error { return o.core.SetBaseURL(u) } }

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

// WithLogger sets the logger for request, retry and wait events (each retry
// is logged at Info with its reason and the wait). Credentials are never
// logged. nil means silent (the default).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.core.SetLogger(l) } }

// WithMaxBodyBytes caps the body of a successful answer at n bytes, counted
// after decompression (a gzip answer is measured as it inflates). The default
// is 32 MiB (core's DefaultMaxBodyBytes), well above any page the API sends. A
// body past the cap is not read further: the call fails with a *RequestError
// wrapping ErrBodyTooLarge that names the limit, and is not retried. Memory
// stays bounded whatever a server sends. Error answers are always cut at 1 MiB
// whatever n is. GetActivityReportCSV's stream is not capped: the caller reads it at its own pace. n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.core.SetMaxBodyBytes(n) }
}

// WithRateLimit sets a client-side limit of perSecond requests with the given
// burst. Every request and every retry waits on it, within its context.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.core.SetRateLimit(perSecond, burst) }
}

// WithAPIKey sets the Close API key, sent as HTTP Basic credentials with the
// key as user name and an empty password. Surrounding spaces are trimmed; an
// empty key, or one holding ':' or a line break, is an error. Without it (and
// without WithTokenSource) NewClient reads CLOSE_API_KEY.
func WithAPIKey(key string) Option {
	return func(o *options) error {
		key = strings.TrimSpace(key)
		if err := checkAPIKey(key); err != nil {
			return errors.New("close: WithAPIKey: " + err.Error())
		}
		o.apiKey = key
		return nil
	}
}

// checkAPIKey checks a trimmed key; the error never quotes it.
func checkAPIKey(key string) error {
	if key == "" {
		return errors.New("key is empty")
	}
	if strings.ContainsAny(key, ":\r\n") {
		return errors.New("key must not contain ':' or line breaks")
	}
	return nil
}

// WithTokenSource authenticates with OAuth2 access tokens from ts, sent as
// "Authorization: Bearer <token>". The source's own caching decides when a
// token is refreshed; after a 401 the request is retried once with the
// source's next token. Use oauth2.ReuseTokenSource for a cached source.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(o *options) error {
		if ts == nil {
			return errors.New("close: WithTokenSource: token source is nil")
		}
		o.ts = ts
		return nil
	}
}

// NewClient returns a Client. Credentials come from WithAPIKey or
// WithTokenSource (not both), or else the CLOSE_API_KEY environment
// variable; the base URL from WithBaseURL, else DefaultBaseURL.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, core.PrefixError("close", err)
		}
	}
	if o.apiKey != "" && o.ts != nil {
		return nil, errors.New("close: WithAPIKey and WithTokenSource are mutually exclusive: use one")
	}
	if o.apiKey == "" && o.ts == nil {
		if env := strings.TrimSpace(os.Getenv(EnvAPIKey)); env != "" {
			if err := checkAPIKey(env); err != nil {
				return nil, errors.New("close: " + EnvAPIKey + ": " + err.Error())
			}
			o.apiKey = env
		}
	}
	var auth core.Auth
	switch {
	case o.ts != nil:
		auth = core.NewTokenSourceAuth(o.ts)
	case o.apiKey != "":
		auth = core.BasicAuth(o.apiKey, "")
	default:
		return nil, errors.New("close: no credentials: use WithAPIKey or WithTokenSource, or set " + EnvAPIKey)
	}
	c := &Client{now: time.Now}
	cc, err := core.New(core.Config{
		Provider:       "close",
		Settings:       o.core,
		DefaultBaseURL: DefaultBaseURL,
		Auth:           auth,
		NewError:       newAPIError,
		RetryHint:      retryHint,
	})
	if err != nil {
		return nil, err
	}
	c.core = cc
	return c, nil
}

// LastRateLimit returns the rate limit Close reported on the most recent
// answer that carried a RateLimit header (successful or not), and false when
// no answer has carried one yet. Its Reset counts from Observed. It is
// updated when a call returns (from its final answer, or the answer inside
// its *APIError), not from the intermediate answers of retries. With
// concurrent calls "most recent" means the answer that arrived last.
func (c *Client) LastRateLimit() (RateLimit, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last, c.seen
}

// observe records the rate limit in h, if any.
func (c *Client) observe(h http.Header) {
	rl, ok := rateLimitFromHeader(h)
	if !ok {
		return
	}
	rl.Observed = c.now()
	c.mu.Lock()
	if !c.seen || !rl.Observed.Before(c.last.Observed) {
		c.last, c.seen = rl, true
	}
	c.mu.Unlock()
}

// observeErr records the rate limit carried by an *APIError.
func (c *Client) observeErr(err error) {
	var ae *APIError
	if errors.As(err, &ae) {
		c.observe(ae.Header)
	}
}
