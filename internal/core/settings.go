package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default retry settings, used for the zero RetryPolicy and for each zero
// duration of a non-zero one.
const (
	DefaultMaxRetries    = 4
	DefaultMinBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff    = 30 * time.Second
	DefaultMaxRetryAfter = 2 * time.Minute
)

// DefaultMaxBodyBytes is the default cap on a successful answer's body, 32
// MiB counted after decompression: well above any page the providers send
// (Workiva caps its payloads at 10 MB), far below what would hurt a process.
const DefaultMaxBodyBytes int64 = 32 << 20

// RetryPolicy says how often and how long a request is retried.
//
// The zero RetryPolicy means the defaults (4 retries, backoff between 500ms
// and 30s, server waits up to 2m). In a non-zero policy MaxRetries is taken as
// given (0 turns retries off) and each zero duration takes its default; use
// NoRetries to turn retries off.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the full-jitter exponential backoff
	// used when the server gives no hint.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest server-requested wait (Retry-After or a
	// provider hint) the client sleeps through. A longer one returns the
	// typed error at once, with RetryAfter set.
	MaxRetryAfter time.Duration
}

// NoRetries is a RetryPolicy that makes exactly one attempt.
var NoRetries = RetryPolicy{MaxRetries: 0, MaxBackoff: DefaultMaxBackoff}

// withDefaults resolves the zero values.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p == (RetryPolicy{}) {
		p.MaxRetries = DefaultMaxRetries
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = DefaultMinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.MinBackoff > p.MaxBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	return p
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxRetries < 0:
		return fmt.Errorf("RetryPolicy.MaxRetries must be 0 or more (got %d)", p.MaxRetries)
	case p.MaxRetries > 100:
		return fmt.Errorf("RetryPolicy.MaxRetries must be at most 100 (got %d)", p.MaxRetries)
	case p.MinBackoff < 0, p.MaxBackoff < 0, p.MaxRetryAfter < 0:
		return errors.New("RetryPolicy durations must not be negative")
	case p.MinBackoff > 0 && p.MaxBackoff > 0 && p.MinBackoff > p.MaxBackoff:
		return fmt.Errorf("RetryPolicy.MinBackoff (%s) must not exceed MaxBackoff (%s)", p.MinBackoff, p.MaxBackoff)
	}
	return nil
}

// Settings holds the options every provider package offers under the same
// names. Provider packages keep one in their option struct and forward their
// With* options to its setters, which validate the value.
type Settings struct {
	BaseURL    string
	HTTPClient *http.Client
	UserAgent  string
	Retry      RetryPolicy
	Logger     *slog.Logger
	EventHook  func(context.Context, Event)
	RatePerSec float64
	RateBurst  int
	ReadAhead  int
	// MaxBodyBytes caps a successful answer's body (bytes after
	// decompression); 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// Clock and Jitter are for tests (users have no option for them): the
	// time read by retry waits and deadlines, token expiry and the rate
	// limit's decisions, and the backoff's jitter, uniform in [0, n). nil
	// means time.Now and math/rand/v2's Int64N. Waits themselves still run on
	// real timers.
	Clock  func() time.Time
	Jitter func(n int64) int64

	baseSet   bool
	region    string // the region's base URL (SetRegion)
	regionSet bool
}

// SetBaseURL validates and stores the base URL.
func (s *Settings) SetBaseURL(raw string) error {
	if _, err := ParseBaseURL(raw); err != nil {
		return fmt.Errorf("WithBaseURL: %w", err)
	}
	s.BaseURL = raw
	s.baseSet = true
	return nil
}

// BaseURLSet reports whether SetBaseURL was called.
func (s *Settings) BaseURLSet() bool { return s.baseSet }

// SetHTTPClient stores the user's HTTP client.
func (s *Settings) SetHTTPClient(c *http.Client) error {
	if c == nil {
		return errors.New("WithHTTPClient: client is nil")
	}
	s.HTTPClient = c
	return nil
}

// FullUserAgent returns the User-Agent every request carries:
// "activity-go/<version>", then the WithUserAgent suffix if any.
func (s *Settings) FullUserAgent() string {
	if s.UserAgent == "" {
		return "activity-go/" + Version
	}
	return "activity-go/" + Version + " " + s.UserAgent
}

// SetUserAgent stores the User-Agent suffix.
func (s *Settings) SetUserAgent(ua string) error {
	if strings.ContainsAny(ua, "\r\n") {
		return errors.New("WithUserAgent: value must not contain line breaks")
	}
	s.UserAgent = strings.TrimSpace(ua)
	return nil
}

// SetRetryPolicy validates and stores the retry policy.
func (s *Settings) SetRetryPolicy(p RetryPolicy) error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("WithRetryPolicy: %w", err)
	}
	s.Retry = p
	return nil
}

// SetLogger stores the logger; nil means silent.
func (s *Settings) SetLogger(l *slog.Logger) error {
	s.Logger = l
	return nil
}

// SetRateLimit validates and stores the client-side rate limit.
func (s *Settings) SetRateLimit(perSecond float64, burst int) error {
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) || perSecond <= 0 {
		return fmt.Errorf("WithRateLimit: perSecond must be a positive number (got %v)", perSecond)
	}
	if burst < 1 {
		return fmt.Errorf("WithRateLimit: burst must be at least 1 (got %d)", burst)
	}
	s.RatePerSec, s.RateBurst = perSecond, burst
	return nil
}

// SetReadAhead validates and stores the default read-ahead depth of pagers.
func (s *Settings) SetReadAhead(pages int) error {
	if pages < 0 || pages > 16 {
		return fmt.Errorf("WithReadAhead: pages must be between 0 and 16 (got %d)", pages)
	}
	s.ReadAhead = pages
	return nil
}

// SetMaxBodyBytes validates and stores the cap on a successful answer's body.
func (s *Settings) SetMaxBodyBytes(n int64) error {
	if n <= 0 {
		return fmt.Errorf("WithMaxBodyBytes: n must be positive (got %d)", n)
	}
	s.MaxBodyBytes = n
	return nil
}

// ParseBaseURL checks a base URL: absolute, https (http only for a loopback
// host), no query or fragment, no user info. The trailing slash is removed.
func ParseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("base URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Not the *url.Error itself: it quotes the raw URL, user info and
		// secret query values included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("base URL %q does not parse: %w", sanitizeRaw(raw), err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("base URL %q must be an absolute https URL", sanitizeRaw(raw))
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("base URL %q: http:// is only allowed for loopback hosts; use https", SanitizeURL(u))
	}
	if u.User != nil {
		return nil, errors.New("base URL must not carry user info; use the credential options")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", SanitizeURL(u))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// PrefixError puts "provider: " before an option's error unless it is
// already there, so every NewClient error names its package.
func PrefixError(provider string, err error) error {
	if err == nil || strings.HasPrefix(err.Error(), provider+": ") {
		return err
	}
	return fmt.Errorf("%s: %w", provider, err)
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sanitizeRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return SanitizeURL(u)
	}
	// Keep the scheme and host only: no query or fragment, no user info.
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i] + "..."
	}
	if j := strings.LastIndex(raw, "@"); j >= 0 {
		if k := strings.Index(raw, "://"); k >= 0 && k < j {
			return raw[:k+3] + "..." + raw[j:]
		}
		return "..." + raw[j:]
	}
	return raw
}
