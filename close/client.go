package close

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"strconv"
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
	last map[EndpointGroup]RateLimit
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core     core.Settings
	apiKey   string
	ts       oauth2.TokenSource
	tzOffset string // X-TZ-Offset value; "" sends none
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

// WithEventHook calls h for every request, retry and wait of the client (the
// events WithLogger logs), with typed fields instead of log text: for
// metrics, tracing and progress displays. h runs synchronously on the
// goroutine making the request; keep it quick. Events never hold
// credentials. nil means none.
func WithEventHook(h func(context.Context, Event)) Option {
	return func(o *options) error { return o.core.SetEventHook(h) }
}

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

// MaxTZOffset is the largest UTC offset, in hours either way, that
// WithTZOffset and ActivityReportParams.TZOffset accept: real zones span
// UTC-12 to UTC+14.
const MaxTZOffset = 14

// WithTZOffset sends "X-TZ-Offset: <hours>" on every request: the UTC offset,
// in hours east of UTC, in which Close resolves relative ranges ("today",
// "last-week") and day buckets, so that a report matches what users in that
// zone see in Close. The value is written with the fewest decimals that
// represent it: -5 as "-5", 5.5 as "5.5", 5.75 as "5.75". Without this option
// no X-TZ-Offset is sent and Close uses its own default; the SDK never guesses
// the machine's zone. A value that is not finite or lies beyond ±14 hours
// makes NewClient fail. ActivityReportParams.TZOffset overrides it for one
// report.
//
// The offset is fixed: for a zone with daylight saving time, compute it for
// the period you report on, e.g. from time.Now().In(loc).Zone().
func WithTZOffset(hours float64) Option {
	return func(o *options) error {
		v, err := formatTZOffset(hours)
		if err != nil {
			return errors.New("close: WithTZOffset: " + err.Error())
		}
		o.tzOffset = v
		return nil
	}
}

// formatTZOffset checks hours and writes it with minimal decimals.
func formatTZOffset(hours float64) (string, error) {
	if math.IsNaN(hours) || math.IsInf(hours, 0) {
		return "", fmt.Errorf("offset must be a finite number of hours (got %v)", hours)
	}
	if hours < -MaxTZOffset || hours > MaxTZOffset {
		return "", fmt.Errorf("offset must be between -%d and %d hours (got %v)", MaxTZOffset, MaxTZOffset, hours)
	}
	if hours == 0 {
		return "0", nil // not "-0"
	}
	return strconv.FormatFloat(hours, 'f', -1, 64), nil
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
	var header http.Header
	if o.tzOffset != "" {
		header = http.Header{tzHeader: {o.tzOffset}}
	}
	cc, err := core.New(core.Config{
		Provider:       "close",
		Settings:       o.core,
		DefaultBaseURL: DefaultBaseURL,
		Auth:           auth,
		Header:         header,
		NewError:       newAPIError,
		WaitHint:       waitHint,
	})
	if err != nil {
		return nil, err
	}
	c.core = cc
	return c, nil
}

// tzHeader is X-TZ-Offset in canonical form.
var tzHeader = http.CanonicalHeaderKey("X-TZ-Offset")

// EndpointGroup names one of Close's rate-limit groups. Close limits the
// request rate per group of endpoints (by path and method), each with its own
// window, so the state of one group says nothing about another. The SDK
// tracks one group per endpoint it calls; its value is the method and path
// below the base URL.
type EndpointGroup string

// The endpoint groups this package calls.
const (
	// GroupActivityReport is POST /report/activity/: GetActivityReport and
	// GetActivityReportCSV.
	GroupActivityReport EndpointGroup = "POST /report/activity/"
	// GroupActivityMetrics is GET /report/activity/metrics/:
	// ListActivityMetrics.
	GroupActivityMetrics EndpointGroup = "GET /report/activity/metrics/"
)

// EndpointGroups lists the groups LastRateLimit tracks.
func EndpointGroups() []EndpointGroup {
	return []EndpointGroup{GroupActivityReport, GroupActivityMetrics}
}

// LastRateLimit returns the rate limit Close reported for one endpoint
// group on the most recent answer from that group that carried rate-limit
// headers (successful or not), and false when none has yet (or for a group
// this package does not call). A report's window is never mixed with the
// metrics catalogue's: each group keeps its own. Its Reset counts from
// Observed. It is updated when a call returns (from its final answer, or the
// answer inside its *APIError), not from the intermediate answers of
// retries. With concurrent calls "most recent" means the answer that arrived
// last.
func (c *Client) LastRateLimit(group EndpointGroup) (RateLimit, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rl, ok := c.last[group]
	return rl, ok
}

// observe records the rate limit in h, if any, for group.
func (c *Client) observe(group EndpointGroup, h http.Header) {
	rl, ok := rateLimitFromHeader(h)
	if !ok {
		return
	}
	rl.Group = group
	rl.Observed = c.now()
	c.mu.Lock()
	if prev, seen := c.last[group]; !seen || !rl.Observed.Before(prev.Observed) {
		if c.last == nil {
			c.last = map[EndpointGroup]RateLimit{}
		}
		c.last[group] = rl
	}
	c.mu.Unlock()
}

// observeErr records the rate limit carried by an *APIError.
func (c *Client) observeErr(group EndpointGroup, err error) {
	var ae *APIError
	if errors.As(err, &ae) {
		c.observe(group, ae.Header)
	}
}
