package close

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// RateLimit is Close's rate-limit state for one endpoint group, as reported
// on its answers: the current header "RateLimit: limit=100, remaining=50,
// reset=5" (the limit closest to being hit, of the per-key and
// per-organization ones), else the IETF draft's separate RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset, else the older
// X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset.
//
// When a request is answered 429 (or 503) and retries are allowed, the
// client waits for the first hint it finds, in the order Close's own client
// uses:
//
//  1. the RateLimit header's reset (seconds, fractional accepted);
//  2. the Retry-After header (seconds, fractional accepted, or an HTTP date);
//  3. X-Rate-Limit-Reset, else RateLimit-Reset (seconds, fractional
//     accepted);
//  4. the body's error.rate_reset (seconds, fractional accepted);
//
// and falls back to the RetryPolicy's backoff when there is none (a 429 with
// no body and no headers). Other retryable answers (502, 504, ...) wait for
// Retry-After when they carry one. A hint longer than
// RetryPolicy.MaxRetryAfter is not slept through: the *APIError is returned
// at once with RetryAfter set.
type RateLimit struct {
	// Limit is the number of requests allowed in the current window (wire
	// "limit"); -1 when the header did not say.
	Limit int
	// Remaining is the number of requests left in the current window (wire
	// "remaining"); -1 when the header did not say.
	Remaining int
	// Reset is the time until the window resets (wire "reset", in seconds,
	// possibly fractional), counted from Observed; -1 when the header did not
	// say.
	Reset time.Duration
	// Observed is when the answer carrying the header arrived. It is zero for
	// a value returned by ParseRateLimit.
	Observed time.Time
	// Group is the endpoint group the answer came from; "" for a value
	// returned by ParseRateLimit.
	Group EndpointGroup
}

// ResetAt returns the instant the window resets (Observed + Reset), or the
// zero time when either is unknown.
func (r RateLimit) ResetAt() time.Time {
	if r.Observed.IsZero() || r.Reset < 0 {
		return time.Time{}
	}
	return r.Observed.Add(r.Reset)
}

// ParseRateLimit parses the value of Close's RateLimit header: comma (or
// semicolon) separated key=value pairs in any order, with any spacing, keys
// compared case-insensitively and unknown keys ignored. limit and remaining
// are whole numbers; reset is seconds and may be fractional. Fields that are
// missing or malformed are -1. It reports false when no field could be read.
func ParseRateLimit(v string) (RateLimit, bool) {
	rl := RateLimit{Limit: -1, Remaining: -1, Reset: -1}
	ok := false
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		key, val, found := strings.Cut(part, "=")
		if !found {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch key {
		case "limit":
			if n, good := parseCount(val); good {
				rl.Limit, ok = n, true
			}
		case "remaining":
			if n, good := parseCount(val); good {
				rl.Remaining, ok = n, true
			}
		case "reset":
			if d, good := parseSeconds(val); good {
				rl.Reset, ok = d, true
			}
		}
	}
	return rl, ok
}

// rateLimitFromHeader reads the RateLimit header, else the separate
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers of the
// IETF draft, else the older X-Rate-Limit-Limit, X-Rate-Limit-Remaining and
// X-Rate-Limit-Reset.
func rateLimitFromHeader(h http.Header) (RateLimit, bool) {
	if h == nil {
		return RateLimit{}, false
	}
	if v := strings.Join(h.Values("RateLimit"), ","); v != "" {
		if rl, ok := ParseRateLimit(v); ok {
			return rl, true
		}
	}
	for _, prefix := range []string{"RateLimit-", "X-Rate-Limit-"} {
		var parts []string
		for _, k := range []string{"limit", "remaining", "reset"} {
			if v := h.Get(prefix + k); v != "" {
				parts = append(parts, k+"="+v)
			}
		}
		if len(parts) == 0 {
			continue
		}
		if rl, ok := ParseRateLimit(strings.Join(parts, ",")); ok {
			return rl, true
		}
	}
	return RateLimit{}, false
}

func parseCount(s string) (int, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > math.MaxInt32 || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}

// parseSeconds reads a non-negative, finite number of seconds. Long waits (a
// reset of 90000 s) are real hints, kept so that a wait past
// RetryPolicy.MaxRetryAfter returns at once with RetryAfter set; only a value
// past 1e9 s (31 years, the Retry-After bound), which could overflow a
// time.Duration, is taken as malformed.
func parseSeconds(s string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e9 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// waitHint is core.Config.WaitHint, Close's order (see RateLimit): on 429
// and 503 the RateLimit reset, Retry-After, X-Rate-Limit-Reset or
// RateLimit-Reset, the body's error.rate_reset; on other answers
// Retry-After alone.
func waitHint(status int, h http.Header, body []byte, now time.Time) (time.Duration, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return core.RetryAfterHeader(h, now)
	}
	if v := strings.Join(h.Values("RateLimit"), ","); v != "" {
		if rl, ok := ParseRateLimit(v); ok && rl.Reset >= 0 {
			return rl.Reset, true
		}
	}
	if d, ok := core.RetryAfterHeader(h, now); ok {
		return d, true
	}
	for _, k := range []string{"X-Rate-Limit-Reset", "RateLimit-Reset"} {
		if d, ok := parseSeconds(h.Get(k)); ok {
			return d, true
		}
	}
	return bodyRateReset(body)
}

// bodyRateReset reads error.rate_reset from a 429 body.
func bodyRateReset(body []byte) (time.Duration, bool) {
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if len(body) == 0 || json.Unmarshal(body, &env) != nil || len(env.Error) == 0 || env.Error[0] != '{' {
		return 0, false
	}
	var obj struct {
		RateReset json.Number `json:"rate_reset"`
	}
	if json.Unmarshal(env.Error, &obj) != nil || obj.RateReset == "" {
		return 0, false
	}
	return parseSeconds(obj.RateReset.String())
}
