package core

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter reads a Retry-After value: delay-seconds (integer or
// fractional) or an HTTP date, relative to now. It reports false for a missing,
// malformed or negative value; a date in the past gives 0, true.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || secs != secs || secs > 1e9 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// RetryAfterHeader reads the server's standard wait hint: Retry-After-Ms
// (which some gateways send) when it parses, else Retry-After, relative to
// now. For Config.WaitHint functions.
func RetryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	return retryAfterHeader(h, now)
}

// retryAfterHeader reads the server's wait hint: Retry-After-Ms (which some
// gateways send) when it parses, else Retry-After.
func retryAfterHeader(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && ms < 1e12 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	return ParseRetryAfter(h.Get("Retry-After"), now)
}
