package close_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want closeapi.RateLimit
		ok   bool
	}{
		{"limit=100, remaining=50, reset=5", closeapi.RateLimit{Limit: 100, Remaining: 50, Reset: 5 * time.Second}, true},
		{"reset=0.25,remaining=0,limit=240", closeapi.RateLimit{Limit: 240, Remaining: 0, Reset: 250 * time.Millisecond}, true},
		{"  Limit = 10 ;  REMAINING=3 ; reset = 1.5 ", closeapi.RateLimit{Limit: 10, Remaining: 3, Reset: 1500 * time.Millisecond}, true},
		{`limit=5, policy="5;w=1", remaining=4, reset=0.001`, closeapi.RateLimit{Limit: 5, Remaining: 4, Reset: time.Millisecond}, true},
		{"reset=2", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: 2 * time.Second}, true},
		{"limit=abc, remaining=-1, reset=-3", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: -1}, false},
		{"limit=1.5, reset=NaN", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: -1}, false},
		{"reset=1e12", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: -1}, false},
		{"", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: -1}, false},
		{"garbage", closeapi.RateLimit{Limit: -1, Remaining: -1, Reset: -1}, false},
	}
	for _, tc := range cases {
		got, ok := closeapi.ParseRateLimit(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRateLimit(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if !got.ResetAt().IsZero() {
			t.Errorf("ResetAt of a parsed value must be zero")
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rl := closeapi.RateLimit{Reset: time.Second, Observed: now}
	if rl.ResetAt() != now.Add(time.Second) {
		t.Errorf("ResetAt = %s", rl.ResetAt())
	}
}

// TestWaitHintOrder checks which hint a 429 (or 503) is retried after, in
// close.md's order: the RateLimit reset, then Retry-After, then
// X-Rate-Limit-Reset / RateLimit-Reset, then the body's rate_reset, then
// backoff. (Issue 13 changed it: Retry-After used to come first.)
func TestWaitHintOrder(t *testing.T) {
	t.Parallel()
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	body := `{"error": {"message": "API call count exceeded", "rate_reset": 0.05}}`
	cases := []struct {
		name  string
		fault closetest.Fault
		want  time.Duration // 0: a backoff guess between 1ms and 5ms
	}{
		{"RateLimit reset first", closetest.Fault{Kind: closetest.Status, Status: 429, RetryAfterRaw: "0.03",
			Header: hdr("RateLimit", "limit=5, remaining=0, reset=0.04", "X-Rate-Limit-Reset", "0.045"), Body: body}, 40 * time.Millisecond},
		{"then Retry-After", closetest.Fault{Kind: closetest.Status, Status: 429, RetryAfterRaw: "0.03",
			Header: hdr("RateLimit", "limit=5, remaining=0", "X-Rate-Limit-Reset", "0.045", "RateLimit-Reset", "0.046"), Body: body}, 30 * time.Millisecond},
		{"then X-Rate-Limit-Reset", closetest.Fault{Kind: closetest.Status, Status: 429,
			Header: hdr("X-Rate-Limit-Limit", "5", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", "0.045", "RateLimit-Reset", "0.046"), Body: body}, 45 * time.Millisecond},
		{"then RateLimit-Reset", closetest.Fault{Kind: closetest.Status, Status: 429,
			Header: hdr("RateLimit-Reset", "0.046"), Body: body}, 46 * time.Millisecond},
		{"RateLimit without reset falls to body", closetest.Fault{Kind: closetest.Status, Status: 429,
			Header: hdr("RateLimit", "limit=5, remaining=0"), Body: body}, 50 * time.Millisecond},
		{"then body rate_reset", closetest.Fault{Kind: closetest.Status, Status: 429, Body: body}, 50 * time.Millisecond},
		{"503 with RateLimit", closetest.Fault{Kind: closetest.Status, Status: 503,
			Header: hdr("RateLimit", "reset=0.02"), Body: `{"error": "Service unavailable"}`}, 20 * time.Millisecond},
		{"502 ignores RateLimit, takes Retry-After", closetest.Fault{Kind: closetest.Status, Status: 502, RetryAfterRaw: "0.025",
			Header: hdr("RateLimit", "reset=0.02"), Body: `{"error": "Bad gateway"}`}, 25 * time.Millisecond},
		{"no hint: backoff", closetest.Fault{Kind: closetest.Status, Status: 429, Body: " "}, 0},
		{"string error: backoff", closetest.Fault{Kind: closetest.Status, Status: 429, Body: `{"error": "slow down"}`}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			sink := &logSink{}
			c := newClient(t, srv, closeapi.WithLogger(slog.New(sink)))
			srv.FailNext(tc.fault)
			if _, err := c.ListActivityMetrics(context.Background()); err != nil {
				t.Fatal(err)
			}
			retries := sink.records("activity-go: retry")
			if len(retries) != 1 {
				t.Fatalf("%d retries logged, want 1", len(retries))
			}
			wait := retries[0].Attrs["wait"].(time.Duration)
			if tc.want == 0 {
				if wait < time.Millisecond || wait > 5*time.Millisecond {
					t.Errorf("wait %s, want a 1-5ms backoff", wait)
				}
			} else if wait != tc.want {
				t.Errorf("wait %s, want the hint %s", wait, tc.want)
			}
		})
	}
}

func TestRateLimitedError(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv, closeapi.WithRetryPolicy(closeapi.NoRetries))
	srv.FailNext(closetest.Fault{Kind: closetest.Status, Status: 429,
		Header: http.Header{"Ratelimit": {"limit=240, remaining=0, reset=1.25"}},
		Body:   `{"error": {"message": "API call count exceeded for this 15 second window", "rate_reset": 1.75, "rate_limit_type": "key"}}`})
	_, err := c.GetActivityReport(context.Background(), anyReport)
	var ae *closeapi.APIError
	if !errors.As(err, &ae) || !errors.Is(err, closeapi.ErrRateLimited) {
		t.Fatalf("err = %v, want a rate-limited *APIError", err)
	}
	if ae.StatusCode != 429 || ae.RetryAfter != 1250*time.Millisecond || ae.RateReset != 1750*time.Millisecond ||
		ae.Message != "API call count exceeded for this 15 second window" || ae.Attempts != 1 {
		t.Errorf("APIError = %+v", ae)
	}
	if ae.RateLimit == nil || ae.RateLimit.Limit != 240 || ae.RateLimit.Remaining != 0 || ae.RateLimit.Reset != 1250*time.Millisecond {
		t.Errorf("RateLimit = %+v", ae.RateLimit)
	}
	if rl, ok := c.LastRateLimit(closeapi.GroupActivityReport); !ok || rl.Limit != 240 || rl.Remaining != 0 || rl.Observed.IsZero() {
		t.Errorf("LastRateLimit = %+v %v, want the 429's", rl, ok)
	}
	want := "close: POST " + srv.URL + closetest.BasePath + "/report/activity/: 429 Too Many Requests: API call count exceeded for this 15 second window (retry after 1.25s)"
	if err.Error() != want {
		t.Errorf("Error()\n got %s\nwant %s", err, want)
	}

	// A hint beyond MaxRetryAfter is not slept through.
	c = newClient(t, srv, closeapi.WithRetryPolicy(closeapi.RetryPolicy{MaxRetries: 3, MaxRetryAfter: time.Second}))
	srv.FailNext(closetest.Fault{Kind: closetest.Status, Status: 429, Header: http.Header{"Ratelimit": {"reset=90"}}})
	start := time.Now()
	_, err = c.GetActivityReport(context.Background(), anyReport)
	if !errors.As(err, &ae) || ae.RetryAfter != 90*time.Second || ae.Attempts != 1 || time.Since(start) > 10*time.Second {
		t.Fatalf("err = %v, want an immediate 429 with RetryAfter 90s", err)
	}
	if ae.Message != "injected fault: Too Many Requests" {
		t.Errorf("message %q, want the object's message", ae.Message)
	}
}

// burst sends n report requests from workers goroutines and returns the
// client's logged retry waits and the 429 answers it got.
func burst(t *testing.T, srv *closetest.Server, n, workers int) ([]time.Duration, []answer, *closeapi.Client) {
	t.Helper()
	sink := &logSink{}
	rec := newAnswerRecorder(t)
	c := newClient(t, srv, closeapi.WithLogger(slog.New(sink)), closeapi.WithHTTPClient(&http.Client{Transport: rec}),
		closeapi.WithRetryPolicy(closeapi.RetryPolicy{MaxRetries: 20, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeYesterday}
	jobs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				rep, err := c.GetActivityReport(context.Background(), p)
				if err == nil && len(rep.Rows) != 1 {
					err = errors.New("wrong report")
				}
				errs <- err
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("request failed: %v", err)
		}
	}
	var waits []time.Duration
	for _, r := range sink.records("activity-go: retry") {
		waits = append(waits, r.Attrs["wait"].(time.Duration))
	}
	return waits, rec.with(429), c
}

// TestBurstWaitsRateLimitReset hits the fake's limit (5 requests per 200ms,
// 429s carrying only the RateLimit header) and checks that every retry
// waited exactly the reset the 429 carried, not a backoff guess.
func TestBurstWaitsRateLimitReset(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithRateLimit(5, 200*time.Millisecond), closetest.WithRateLimitHints(closetest.HintRateLimitHeader))
	waits, limited, c := burst(t, srv, 12, 1)
	if len(limited) == 0 || len(waits) != len(limited) {
		t.Fatalf("%d waits for %d 429s; the burst must be limited and each 429 waited once", len(waits), len(limited))
	}
	for i, a := range limited {
		if a.Header.Get("Retry-After") != "" {
			t.Fatalf("429 carried Retry-After; the fake should send only RateLimit")
		}
		rl, ok := closeapi.ParseRateLimit(a.Header.Get("RateLimit"))
		if !ok || rl.Remaining != 0 || rl.Limit != 5 {
			t.Fatalf("429 RateLimit %q", a.Header.Get("RateLimit"))
		}
		if waits[i] != rl.Reset || waits[i] < 10*time.Millisecond {
			t.Errorf("retry %d waited %s, the 429 asked for %s", i, waits[i], rl.Reset)
		}
	}
	if got := srv.RequestCount(); got != int64(12+len(limited)) {
		t.Errorf("fake saw %d requests, want %d", got, 12+len(limited))
	}
	if rl, ok := c.LastRateLimit(closeapi.GroupActivityReport); !ok || rl.Limit != 5 || rl.Remaining < 0 || rl.Remaining > 4 || rl.Reset > 200*time.Millisecond {
		t.Errorf("LastRateLimit = %+v %v", rl, ok)
	}
}

// TestBurstWaitsBodyRateReset: 429s with only the body's rate_reset, from
// concurrent callers.
func TestBurstWaitsBodyRateReset(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithRateLimit(5, 200*time.Millisecond), closetest.WithRateLimitHints(closetest.HintBody))
	waits, limited, _ := burst(t, srv, 15, 4)
	if len(limited) == 0 || len(waits) != len(limited) {
		t.Fatalf("%d waits for %d 429s", len(waits), len(limited))
	}
	for i, w := range waits {
		if w < 10*time.Millisecond || w > 200*time.Millisecond {
			t.Errorf("retry %d waited %s; want the body's rate_reset (within the 200ms window)", i, w)
		}
	}
}

// TestBurstWaitsRetryAfter: with Close's full answer (RateLimit, Retry-After
// and the body) the fractional RateLimit reset wins over the whole-second
// Retry-After, as close.md orders them (issue 13; it used to be the other
// way round).
func TestBurstWaitsRetryAfter(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithRateLimit(2, 200*time.Millisecond))
	waits, limited, _ := burst(t, srv, 3, 1)
	if len(limited) != 1 || len(waits) != 1 {
		t.Fatalf("%d 429s and %d waits, want 1 and 1", len(limited), len(waits))
	}
	rl, ok := closeapi.ParseRateLimit(limited[0].Header.Get("RateLimit"))
	if ra := limited[0].Header.Get("Retry-After"); ra != "1" || !ok || waits[0] != rl.Reset || rl.Reset >= time.Second {
		t.Errorf("Retry-After %q, RateLimit %+v, waited %s; want the RateLimit reset", ra, rl, waits[0])
	}
}

// Issue 14: a wait longer than a day was dropped as malformed (five quick
// retries and RetryAfter 0). Any server-asked wait beyond MaxRetryAfter now
// returns at once with RetryAfter set, wherever Close puts it.
func TestWaitsBeyondADayReturnAtOnce(t *testing.T) {
	t.Parallel()
	const want = 90000 * time.Second // 25 hours
	for _, tc := range []struct {
		name  string
		fault closetest.Fault
	}{
		{"RateLimit reset", closetest.Fault{Kind: closetest.Status, Status: 429,
			Header: http.Header{"Ratelimit": {"limit=240, remaining=0, reset=90000"}}}},
		{"RateLimit-Reset (draft)", closetest.Fault{Kind: closetest.Status, Status: 429,
			Header: http.Header{"Ratelimit-Reset": {"90000"}}}},
		{"body rate_reset", closetest.Fault{Kind: closetest.Status, Status: 429,
			Body: `{"error": {"message": "slow down", "rate_reset": 90000}}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c := newClient(t, srv) // retries on: 4 by default in this package's client
			srv.FailNext(tc.fault, tc.fault, tc.fault, tc.fault, tc.fault)
			_, err := c.GetActivityReport(context.Background(), anyReport)
			var ae *closeapi.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			if ae.Attempts != 1 || ae.RetryAfter != want {
				t.Fatalf("Attempts %d, RetryAfter %s; want 1 attempt and RetryAfter %s", ae.Attempts, ae.RetryAfter, want)
			}
			if got := srv.RequestCount(); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
		})
	}
	rl, ok := closeapi.ParseRateLimit("reset=90000")
	if !ok || rl.Reset != want {
		t.Errorf("ParseRateLimit(reset=90000) = %+v, %v", rl, ok)
	}
}
