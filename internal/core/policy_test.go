package core

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"5", 5 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"NaN", 0, false},
		{"1e20", 0, false},
		{"Sun, 10 May 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 10-May-26 12:01:00 GMT", time.Minute, true},
		{"Sun May 10 12:00:02 2026", 2 * time.Second, true},
		{"Sun, 10 May 2026 11:00:00 GMT", 0, true}, // in the past: no wait
	}
	for _, c := range cases {
		got, ok := ParseRetryAfter(c.in, now)
		assert.Equal(t, c.ok, ok, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
	d, ok := retryAfterHeader(http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, now)
	assert.True(t, ok)
	assert.Equal(t, 250*time.Millisecond, d, "Retry-After-Ms is the finer hint")
	d, ok = retryAfterHeader(http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"9"}}, now)
	assert.True(t, ok)
	assert.Equal(t, 9*time.Second, d)
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	minW, maxW := 100*time.Millisecond, 2*time.Second
	for retry := 0; retry < 12; retry++ {
		ceil := time.Duration(math.Min(float64(maxW), float64(minW)*math.Pow(2, float64(retry))))
		var lo, hi time.Duration = maxW, 0
		for i := 0; i < 2000; i++ {
			d := Backoff(minW, maxW, retry)
			require.GreaterOrEqual(t, d, minW)
			require.LessOrEqual(t, d, ceil, "retry %d", retry)
			lo, hi = min(lo, d), max(hi, d)
		}
		if ceil > minW {
			// Full jitter: samples spread over most of the interval.
			assert.Less(t, lo, minW+(ceil-minW)/4, "retry %d low end", retry)
			assert.Greater(t, hi, ceil-(ceil-minW)/4, "retry %d high end", retry)
		}
	}
	assert.Equal(t, time.Millisecond, Backoff(0, 0, 3))
	assert.Equal(t, time.Second, Backoff(time.Second, time.Millisecond, 0))
	assert.LessOrEqual(t, Backoff(time.Second, time.Hour, 200), time.Hour, "no overflow")
}

func TestRetryPolicyDefaultsAndValidation(t *testing.T) {
	t.Parallel()
	d := RetryPolicy{}.withDefaults()
	assert.Equal(t, RetryPolicy{MaxRetries: DefaultMaxRetries, MinBackoff: DefaultMinBackoff, MaxBackoff: DefaultMaxBackoff, MaxRetryAfter: DefaultMaxRetryAfter}, d)
	n := NoRetries.withDefaults()
	assert.Equal(t, 0, n.MaxRetries)
	p := RetryPolicy{MaxRetries: 2, MinBackoff: time.Minute}.withDefaults()
	assert.Equal(t, 2, p.MaxRetries)
	assert.Equal(t, time.Minute, p.MaxBackoff, "MaxBackoff raised to MinBackoff")

	var s Settings
	assert.ErrorContains(t, s.SetRetryPolicy(RetryPolicy{MaxRetries: -1}), "MaxRetries must be 0 or more")
	assert.ErrorContains(t, s.SetRetryPolicy(RetryPolicy{MaxRetries: 1000}), "at most 100")
	assert.ErrorContains(t, s.SetRetryPolicy(RetryPolicy{MinBackoff: -1}), "negative")
	assert.ErrorContains(t, s.SetRetryPolicy(RetryPolicy{MinBackoff: time.Minute, MaxBackoff: time.Second}), "must not exceed")
	assert.NoError(t, s.SetRetryPolicy(RetryPolicy{MaxRetries: 2}))
}

func TestSettingsValidation(t *testing.T) {
	t.Parallel()
	var s Settings
	assert.Error(t, s.SetHTTPClient(nil))
	assert.NoError(t, s.SetHTTPClient(&http.Client{}))
	assert.Error(t, s.SetUserAgent("a\r\nX-Evil: 1"))
	assert.NoError(t, s.SetUserAgent(" my-app/1 "))
	assert.Equal(t, "my-app/1", s.UserAgent)
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		assert.Error(t, s.SetRateLimit(bad, 1), "%v", bad)
	}
	assert.Error(t, s.SetRateLimit(1, 0))
	assert.NoError(t, s.SetRateLimit(2.5, 3))
	assert.Error(t, s.SetReadAhead(-1))
	assert.Error(t, s.SetReadAhead(17))
	assert.NoError(t, s.SetReadAhead(2))
	assert.NoError(t, s.SetLogger(nil))
	assert.False(t, s.BaseURLSet())
	assert.Error(t, s.SetBaseURL("http://example.com"))
	assert.False(t, s.BaseURLSet())
	assert.NoError(t, s.SetBaseURL("https://example.com"))
	assert.True(t, s.BaseURLSet())

	c, err := New(Config{Provider: "p", Settings: s, DefaultBaseURL: "https://ignored.example.com"})
	require.NoError(t, err)
	assert.Equal(t, "example.com", c.BaseURL().Host)
	assert.Equal(t, 2, c.ReadAhead())
	assert.Equal(t, "p", c.Provider())
	assert.NotNil(t, c.Logger())
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	e := Invalid("activtrak", "WorkingHoursParams", "PageSize", "must be between 1 and 1000 (got %d)", 5000)
	assert.Equal(t, "activtrak: WorkingHoursParams.PageSize: must be between 1 and 1000 (got 5000)", e.Error())
	e = &ValidationError{Provider: "x", Params: "P", Problem: "set one"}
	assert.Equal(t, "x: P: set one", e.Error())
	e = &ValidationError{Field: "id", Problem: "empty"}
	assert.Equal(t, "id: empty", e.Error())
}

func TestBodySnippet(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "", BodySnippet(nil, ""))
	assert.Equal(t, "502 Bad Gateway", BodySnippet([]byte("<html><head><title>502 Bad Gateway</title></head></html>"), "text/html"))
	assert.Equal(t, "HTML error page", BodySnippet([]byte("<!DOCTYPE html><p>x"), ""))
	assert.Equal(t, "first line", BodySnippet([]byte("first line\nsecond"), "text/plain"))
	long := BodySnippet([]byte(strings.Repeat("a", 300)), "")
	assert.Len(t, long, 203)
}

func TestErrorStrings(t *testing.T) {
	t.Parallel()
	e := &ErrorInfo{Provider: "workiva", Method: "GET", URL: "https://h/x", StatusCode: 429, Code: "TooMany", Message: "slow down", RequestID: "r1", Attempts: 5, RetryAfter: 3 * time.Second}
	assert.Equal(t, "workiva: GET https://h/x: 429 Too Many Requests: TooMany: slow down (request id r1, 5 attempts, retry after 3s)", e.Error())
	re := &RequestError{Provider: "close", Method: "POST", URL: "https://h/r", Attempts: 3, Err: http.ErrHandlerTimeout}
	assert.Equal(t, "close: POST https://h/r: http: Handler timeout (3 attempts)", re.Error())
	assert.ErrorIs(t, re, http.ErrHandlerTimeout)
	assert.Equal(t, "unknown error", errorString(nil))
	ae := &AuthError{Err: http.ErrNoCookie}
	assert.Contains(t, ae.Error(), "obtaining access token")
}
