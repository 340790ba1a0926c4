package closetest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// limiter is a fixed-window request counter per credential and endpoint
// group.
type limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*windowState
}

type windowState struct {
	start time.Time
	count int
}

func newLimiter(limit int, window time.Duration) *limiter {
	return &limiter{limit: limit, window: window, now: time.Now, keys: map[string]*windowState{}}
}

// take counts one request for key. It returns the requests left in the
// window, the time until the window resets and whether the request is
// admitted.
func (l *limiter) take(key string) (remaining int, reset time.Duration, ok bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.keys[key]
	if st == nil || !now.Before(st.start.Add(l.window)) {
		st = &windowState{start: now}
		l.keys[key] = st
	}
	reset = st.start.Add(l.window).Sub(now)
	if st.count >= l.limit {
		return 0, reset, false
	}
	st.count++
	return l.limit - st.count, reset, true
}

// admit applies the rate limit of group (method and path, as Close groups
// endpoints) to r: it sets the rate-limit headers and, when the credential's
// window for the group is used up, answers 429 with the configured hints.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, group string) bool {
	remaining, reset, ok := s.limiter.take(credential(r) + " " + group)
	secs := seconds(reset)
	setHeaders := func() {
		if s.cfg.legacyHeaders {
			w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(s.limiter.limit))
			w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
			w.Header().Set("X-Rate-Limit-Reset", secs)
			return
		}
		w.Header().Set("RateLimit", fmt.Sprintf("limit=%d, remaining=%d, reset=%s", s.limiter.limit, remaining, secs))
	}
	if ok {
		setHeaders()
		return true
	}
	h := s.cfg.hints
	if h&HintRateLimitHeader != 0 {
		setHeaders()
	}
	if h&HintRetryAfter != 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
	}
	if h&HintBody == 0 {
		fakeserver.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]any{
			"message": "API call count exceeded for this window"}})
		return false
	}
	fakeserver.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]any{
		"message":         "API call count exceeded for this window",
		"rate_reset":      json3(reset.Seconds()),
		"rate_limit":      s.limiter.limit,
		"rate_window":     json3(s.limiter.window.Seconds()),
		"rate_limit_type": "key",
	}})
	return false
}

// seconds formats d in seconds with at most three decimals ("0.125", "5").
func seconds(d time.Duration) string {
	return strconv.FormatFloat(json3(d.Seconds()), 'f', -1, 64)
}

// json3 rounds up to a millisecond, so that a client waiting the hint never
// comes back a hair early.
func json3(f float64) float64 { return math.Ceil(f*1000) / 1000 }
