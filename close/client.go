package close

import (
	"errors"
	"net/http"
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

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core   core.Settings
	apiKey core.Credential
	source oauth2.TokenSource
}

// WithAPIKey sets the Close API key, sent as HTTP Basic credentials with the
// key as user name and an empty password. An empty key, or one holding a
// space, a control character or ':', is an error. Without it (and without
// WithTokenSource) NewClient reads CLOSE_API_KEY.
func WithAPIKey(key string) Option {
	return func(o *options) error { return o.apiKey.Set("close", "WithAPIKey", "key", key, checkAPIKey) }
}

// checkAPIKey adds Close's rule to the one every package applies: no ':',
// which Basic credentials cannot carry in a user name. The error never
// quotes the key.
func checkAPIKey(key string) error {
	if strings.Contains(key, ":") {
		return errors.New("key must not contain ':'")
	}
	return nil
}

// NewClient returns a Client. Credentials come from WithAPIKey or
// WithTokenSource (not both), or else the CLOSE_API_KEY environment
// variable; the base URL from WithBaseURL, else DefaultBaseURL.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	if err := core.Apply("close", &o, opts); err != nil {
		return nil, err
	}
	var auth core.Auth
	switch {
	case o.apiKey.IsSet() && o.source != nil:
		return nil, errors.New("close: WithAPIKey and WithTokenSource are mutually exclusive: use one")
	case o.source != nil:
		auth = core.NewTokenSourceAuth(o.source)
	default:
		key, err := o.apiKey.Resolve("close", EnvAPIKey, "key", "use WithAPIKey or WithTokenSource, or set "+EnvAPIKey, checkAPIKey)
		if err != nil {
			return nil, err
		}
		auth = core.BasicAuth(key, "")
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
