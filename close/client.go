package close

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
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

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core     core.Settings
	apiKey   core.Credential
	source   oauth2.TokenSource
	tzOffset string // X-TZ-Offset value; "" sends none
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
	c, _, err := newCore(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c, now: time.Now}, nil
}

// config is the core configuration of the package's clients: the API key
// (WithAPIKey, else CLOSE_API_KEY) as Basic auth, or a token source's tokens,
// the X-TZ-Offset header, and Close's order of wait hints.
func (o *options) config() (core.Config, error) {
	cfg := core.Config{DefaultBaseURL: DefaultBaseURL, WaitHint: waitHint}
	switch {
	case o.apiKey.IsSet() && o.source != nil:
		return cfg, errors.New("close: WithAPIKey and WithTokenSource are mutually exclusive: use one")
	case o.source != nil:
		cfg.Auth = core.NewTokenSourceAuth(o.source)
	default:
		key, err := o.apiKey.Resolve("close", EnvAPIKey, "key", "use WithAPIKey or WithTokenSource, or set "+EnvAPIKey, checkAPIKey)
		if err != nil {
			return cfg, err
		}
		cfg.Auth = core.BasicAuth(key, "")
	}
	if o.tzOffset != "" {
		cfg.Header = http.Header{tzHeader: {o.tzOffset}}
	}
	return cfg, nil
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

// do sends req and records, for group, the rate limit of its answer: the
// final one, or the one inside its *APIError.
func (c *Client) do(ctx context.Context, group EndpointGroup, req *core.Request) (*core.Response, error) {
	resp, err := c.core.Do(ctx, req)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			c.observe(group, ae.Header)
		}
		return nil, err
	}
	c.observe(group, resp.Header)
	return resp, nil
}
