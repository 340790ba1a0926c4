package reliability_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// deadlineOverrun is how long after its context's deadline a call may
// return: generous for a loaded two-core machine running -race; the
// measured figures are logged.
const deadlineOverrun = 250 * time.Millisecond

// deadlineWindow is the context deadline of most scenarios: long enough
// for the two fault-free requests before the trouble even on a loaded CI
// machine under -race, short because the scenarios mostly wait and
// -parallel is GOMAXPROCS (two here).
const deadlineWindow = time.Second

// deadlineScale is small: the trouble starts at the third request.
var deadlineScale = faultScale{pages: 20, pageSize: 10}

// faultAPIInfo returns the shared part of any provider's *APIError (each
// one's As hands it to a *ErrorInfo target).
func faultAPIInfo(err error) (*workiva.ErrorInfo, bool) {
	var info *workiva.ErrorInfo
	return info, errors.As(err, &info)
}

// deadlineTrickle is a proxy in front of a fake: it passes every request
// on, but answers the at-th API request (token requests not counted) with
// its headers at once and then its body one byte every 20ms, until the
// client goes away.
type deadlineTrickle struct {
	target   string
	at       int64
	n        atomic.Int64
	trickled atomic.Bool
	tr       *http.Transport
}

func (p *deadlineTrickle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	out.Host = r.Host // links the fake builds point back at the proxy
	resp, err := p.tr.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	if strings.Contains(r.URL.Path, "token") || p.n.Add(1) != p.at {
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body)
		return
	}
	p.trickled.Store(true)
	w.WriteHeader(resp.StatusCode)
	fl := w.(http.Flusher)
	fl.Flush()
	for i := range body {
		_, _ = w.Write(body[i : i+1])
		fl.Flush()
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
}

type deadlineScenario struct {
	name     string
	only     string // run for this provider only ("" for all)
	deadline time.Duration
	faults   []fakeserver.Fault // queued with FailNext before the walk
	trickle  bool               // the third API request's body trickles
	retry    workiva.RetryPolicy
	rate     float64
	burst    int
	// answered is how many API requests succeed before the trouble (-1:
	// not checked).
	answered int
	// wantStatus is the status of the typed error expected; 0 expects the
	// context's deadline error.
	wantStatus     int
	wantRetryAfter time.Duration
	// atOnce: the call must return long before the deadline.
	atOnce bool
	// eitherOK accepts the deadline error as well as wantStatus.
	eitherOK bool
}

func deadlineScenarios() []deadlineScenario {
	hang := fakeserver.Fault{Kind: fakeserver.Slow, Delay: time.Hour}
	f503 := fakeserver.Fault503
	return []deadlineScenario{
		{name: "hang", deadline: deadlineWindow, faults: append(leakPass(2), hang), answered: 2},
		{name: "slow-body", deadline: deadlineWindow, trickle: true, answered: 2},
		{
			// 30s is under the default MaxRetryAfter (2m) but past the
			// deadline: the SDK must not start the wait.
			name: "long-retry-after", deadline: 10 * time.Second, answered: 1, atOnce: true,
			faults:     append(leakPass(1), fakeserver.Fault{Kind: fakeserver.Status, Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second}),
			wantStatus: http.StatusTooManyRequests, wantRetryAfter: 30 * time.Second,
		},
		{
			// The default policy backs off 500ms..30s: retries stop once
			// the next wait would end past the deadline.
			name: "backoff", deadline: deadlineWindow, answered: 1, wantStatus: http.StatusServiceUnavailable, eitherOK: true,
			faults: append(leakPass(1), f503, f503, f503, f503, f503, f503, f503, f503, f503, f503),
		},
		{
			// The client's own rate limit would wait 100s, past the
			// deadline: the SDK must fail at once, not sleep into it.
			name: "rate-limit-wait", deadline: 10 * time.Second, rate: 0.01, burst: 1, answered: -1, atOnce: true,
		},
		{
			name: "token-endpoint-hang", only: "workiva", deadline: deadlineWindow, answered: 0,
			faults: []fakeserver.Fault{{Kind: fakeserver.Slow, Delay: time.Hour, Path: workivatest.TokenPath}},
		},
	}
}

// TestDeadlineBoundsEveryCall runs each provider's walk under a context
// deadline while the server hangs, asks for a long Retry-After, trickles a
// body, keeps failing, or the client's own rate limit would wait past it,
// and requires the walk to return within deadlineOverrun of the deadline
// (or at once, for a wait the SDK knows it cannot finish).
func TestDeadlineBoundsEveryCall(t *testing.T) {
	t.Parallel()
	for _, p := range faultProviders() {
		for _, sc := range deadlineScenarios() {
			if sc.only != "" && sc.only != p.name {
				continue
			}
			t.Run(p.name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				srv, base := p.start(deadlineScale, sc.trickle)
				defer srv.Close()
				var proxy *deadlineTrickle
				if sc.trickle {
					proxy = &deadlineTrickle{target: strings.TrimSuffix(base, p.basePath), at: 3, tr: &http.Transport{}}
					ps := httptest.NewServer(proxy)
					defer ps.Close()
					defer proxy.tr.CloseIdleConnections()
					base = ps.URL + p.basePath
				}
				tr := &http.Transport{}
				defer tr.CloseIdleConnections()
				srv.FailNext(sc.faults...)

				start := time.Now()
				deadline := start.Add(sc.deadline)
				ctx, cancel := context.WithDeadline(context.Background(), deadline)
				defer cancel()
				// A control goroutine measures how late this process wakes
				// up at the deadline anyway (a loaded machine), so that
				// scheduling delay is not blamed on the SDK.
				control := make(chan time.Duration, 1)
				go func() { <-ctx.Done(); control <- time.Since(deadline) }()
				items, err := p.walk(ctx, faultSettings{baseURL: base, hc: &http.Client{Transport: tr}, retry: sc.retry,
					rate: sc.rate, burst: sc.burst}, deadlineScale)
				returned := time.Now()
				over := returned.Sub(deadline)
				cancel()
				late := max(0, <-control)
				t.Logf("%s/%s: returned %v after the deadline (%v after the start, deadline %v; scheduler lateness %v), %d records before the error",
					p.name, sc.name, over.Round(time.Microsecond), returned.Sub(start).Round(time.Microsecond), sc.deadline,
					late.Round(time.Microsecond), faultRecords(items))

				require.Error(t, err)
				if !sc.atOnce {
					assert.Less(t, over-late, deadlineOverrun, "the walk outlived its deadline")
				}
				if sc.atOnce {
					assert.Less(t, returned.Sub(start), sc.deadline/2, "the walk waited instead of returning at once")
				}
				info, isAPI := faultAPIInfo(err)
				switch {
				case sc.wantStatus != 0 && isAPI:
					assert.Equal(t, sc.wantStatus, info.StatusCode, err.Error())
					if sc.wantRetryAfter > 0 {
						assert.Equal(t, sc.wantRetryAfter, info.RetryAfter)
						assert.Equal(t, 1, info.Attempts, "no retry was started")
						assert.ErrorIs(t, err, workiva.ErrRateLimited)
					}
				case sc.wantStatus != 0 && !sc.eitherOK:
					t.Fatalf("want an *APIError with status %d, got %T: %v", sc.wantStatus, err, err)
				default:
					assert.ErrorIs(t, err, context.DeadlineExceeded)
				}
				if sc.answered >= 0 {
					want := sc.answered * deadlineScale.pageSize
					if p.name == "analytics" {
						want = 0 // one call: a failed window fails the series
					}
					assert.Equal(t, want, faultRecords(items), "records delivered before the trouble")
				}
				switch {
				case sc.trickle:
					assert.True(t, proxy.trickled.Load(), "the walk never reached the trickling answer")
				case sc.only == "workiva":
					toks := srv.(*workivatest.Server).TokenRequests()
					require.NotEmpty(t, toks)
					assert.NotNil(t, toks[len(toks)-1].Fault, "the token request did not hang")
				case len(sc.faults) > 0:
					last, ok := srv.LastRequest()
					require.True(t, ok)
					if assert.NotNil(t, last.Fault, "the last request was not an injected fault") {
						if sc.wantRetryAfter > 0 {
							assert.Equal(t, http.StatusTooManyRequests, last.Fault.Status, "the 429 was the last request: not retried")
						}
					}
				}
			})
		}
	}
}

// TestDeadlineCloseCSVTrickledBody streams a Close CSV report whose body
// trickles: GetActivityReportCSV returns at the headers, and reading the
// stream fails within deadlineOverrun of the deadline.
func TestDeadlineCloseCSVTrickledBody(t *testing.T) {
	t.Parallel()
	srv := closetest.NewServer(closetest.WithUsers(50), closetest.WithRateLimit(0, time.Second))
	defer srv.Close()
	proxy := &deadlineTrickle{target: srv.URL, at: 1, tr: &http.Transport{}}
	ps := httptest.NewServer(proxy)
	defer ps.Close()
	defer proxy.tr.CloseIdleConnections()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := faultCloseClient(faultSettings{baseURL: ps.URL + closetest.BasePath, hc: &http.Client{Transport: tr}})
	require.NoError(t, err)

	deadline := time.Now().Add(deadlineWindow)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	control := make(chan time.Duration, 1)
	go func() { <-ctx.Done(); control <- time.Since(deadline) }()
	rc, err := c.GetActivityReportCSV(ctx, &closeapi.ActivityReportParams{Type: closeapi.ReportComparison,
		Metrics: faultCloseMetrics, DatetimeRange: &closeapi.DatetimeRange{Start: faultCloseStart, End: faultCloseStart.AddDate(0, 0, 7)}})
	require.NoError(t, err, "the answer's headers arrive at once")
	b, err := io.ReadAll(rc)
	over := time.Since(deadline)
	require.NoError(t, rc.Close())
	cancel()
	late := max(0, <-control)
	t.Logf("close CSV stream: read failed %v after the deadline (scheduler lateness %v) after %d bytes",
		over.Round(time.Microsecond), late.Round(time.Microsecond), len(b))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, proxy.trickled.Load())
	assert.Less(t, over-late, deadlineOverrun, "reading the stream outlived its deadline")
}

// TestDeadlineActivtrakFollow tails the ActivTrak log with a poll interval
// far past the deadline, then with the server hanging: the follow ends at
// the deadline either way, without yielding an error (as documented).
func TestDeadlineActivtrakFollow(t *testing.T) {
	t.Parallel()
	for _, hang := range []bool{false, true} {
		name := map[bool]string{false: "waiting-between-polls", true: "poll-hangs"}[hang]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := activtraktest.NewServer(activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(10))
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			c, err := faultActivtrakClient(faultSettings{baseURL: srv.URL, hc: &http.Client{Transport: tr}})
			require.NoError(t, err)
			if hang {
				srv.FailNext(append(leakPass(2), fakeserver.Fault{Kind: fakeserver.Slow, Delay: time.Hour})...)
			}
			deadline := time.Now().Add(deadlineWindow)
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			defer cancel()
			control := make(chan time.Duration, 1)
			go func() { <-ctx.Done(); control <- time.Since(deadline) }()
			records := 0
			for page, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: faultActivtrakStart, PageSize: 5}, time.Hour) {
				require.NoError(t, err)
				records += len(page.Items)
			}
			over := time.Since(deadline)
			cancel()
			late := max(0, <-control)
			t.Logf("activtrak follow (%s): ended %v after the deadline (scheduler lateness %v), %d records",
				name, over.Round(time.Microsecond), late.Round(time.Microsecond), records)
			assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
			assert.Less(t, over-late, deadlineOverrun, "the follow outlived its deadline")
			assert.GreaterOrEqual(t, over, -deadlineOverrun, "the follow ended long before its deadline")
			want := 20
			if hang {
				want = 10
			}
			assert.Equal(t, want, records)
		})
	}
}
