package activtrak

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultBaseURL is the API host of the US region, used unless WithRegion or
// WithBaseURL says otherwise.
const DefaultBaseURL = "https://api.activtrak.com"

// EnvAPIKey is the environment variable NewClient reads the API key from when
// WithAPIKey is not given.
const EnvAPIKey = "ACTIVTRAK_API_KEY"

// Client calls the ActivTrak Live Data API. It is safe for concurrent use.
type Client struct {
	core        *core.Client
	earlyAccess bool
	// wait, when set (by tests), replaces FollowActivityLog's timer: it
	// waits d or until ctx ends, and reports false when ctx ended.
	wait func(ctx context.Context, d time.Duration) bool
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core        core.Settings
	key         string
	earlyAccess bool
}

// WithBaseURL sets the API's base URL (a proxy or a test server such as
// activtraktest). http:// is accepted only for loopback hosts; everything
// else must be https. When combined with WithRegion, the later option wins.
func WithBaseURL(u string) Option { return func(o *options) error { return o.core.SetBaseURL(u) } }

// WithRegion selects the data region's API host (RegionUS by default). When
// combined with WithBaseURL, the later option wins.
func WithRegion(r Region) Option {
	return func(o *options) error {
		if err := r.check(); err != nil {
			return err
		}
		return o.core.SetBaseURL(r.BaseURL())
	}
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

// WithReadAhead makes list pagers fetch up to pages pages (0..16) ahead of
// the caller while it handles the current one. 0, the default, fetches a page
// only when it is needed. Item order and page tokens are the same either
// way. FollowActivityLog never reads ahead.
func WithReadAhead(pages int) Option {
	return func(o *options) error { return o.core.SetReadAhead(pages) }
}

// WithAPIKey sets the Live Data API key, sent in the "x-api-key" header (the
// current public contract), or as "Authorization: Bearer <key>" under
// WithEarlyAccess. Without it NewClient reads ACTIVTRAK_API_KEY. The key's
// web user decides which data the API returns.
func WithAPIKey(key string) Option {
	return func(o *options) error {
		if err := core.CheckToken("key", key); err != nil {
			return fmt.Errorf("activtrak: WithAPIKey: %w", err)
		}
		o.key = key
		return nil
	}
}

// WithEarlyAccess selects the early-access contract of the Live Data API,
// for tenants still on it: the key goes as "Authorization: Bearer <key>"
// and the filters as userId and computerId (on every report). Without it the
// client follows the current public contract (ActivTrak's published OpenAPI
// document): the key in "x-api-key", the filters as clientId and deviceId
// (working hours by user take no deviceId, by computer no clientId), and
// MinDuration/MaxDuration on the activity log. Records decode the same way
// under both: ActivityLogEntry.Time is filled from whichever timestamp the
// answer carries.
func WithEarlyAccess() Option {
	return func(o *options) error {
		o.earlyAccess = true
		return nil
	}
}

// NewClient returns a Client. The API key comes from WithAPIKey or else the
// ACTIVTRAK_API_KEY environment variable; the host from WithBaseURL or
// WithRegion, else DefaultBaseURL (US).
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, core.PrefixError("activtrak", err)
		}
	}
	if o.key == "" {
		if env := os.Getenv(EnvAPIKey); env != "" {
			if err := core.CheckToken("key", env); err != nil {
				return nil, fmt.Errorf("activtrak: %s: %w", EnvAPIKey, err)
			}
			o.key = env
		}
	}
	if o.key == "" {
		return nil, errors.New("activtrak: no credentials: use WithAPIKey or set " + EnvAPIKey)
	}
	auth := core.APIKeyHeader("x-api-key", o.key)
	if o.earlyAccess {
		auth = core.BearerToken(o.key)
	}
	c, err := core.New(core.Config{
		Provider:       "activtrak",
		Settings:       o.core,
		DefaultBaseURL: DefaultBaseURL,
		Auth:           auth,
		NewError:       newAPIError,
	})
	if err != nil {
		return nil, err
	}
	return &Client{core: c, earlyAccess: o.earlyAccess}, nil
}
