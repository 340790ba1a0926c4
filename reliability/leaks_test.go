package reliability_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/workiva"
)

// Goroutine leaks are checked for the whole package by goleak in TestMain;
// the tests here check connections and cancellation.

var leakScale = faultScale{pages: 30, pageSize: 10}

// leakRetries retries quickly, twice.
var leakRetries = workiva.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}

// leakPass is n faults that are answered normally (a Slow fault of 0s), to
// place the fault after them.
func leakPass(n int) []fakeserver.Fault {
	out := make([]fakeserver.Fault, n)
	for i := range out {
		out[i] = fakeserver.Fault{Kind: fakeserver.Slow} // answered normally
	}
	return out
}

func leakStatus(status int) fakeserver.Fault {
	return fakeserver.Fault{Kind: fakeserver.Status, Status: status}
}

// TestLeakSequentialWalksReuseOneConnection walks each provider's fake
// again and again with one client, through answers the SDK retries (503,
// 429, 500) and errors that end a walk (404, retries exhausted), and
// requires every request to have travelled on one TCP connection: error
// bodies are read to the end, nothing is abandoned half-read.
func TestLeakSequentialWalksReuseOneConnection(t *testing.T) {
	t.Parallel()
	for _, p := range faultProviders() {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			srv, base := p.start(leakScale, false)
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			s := faultSettings{baseURL: base, hc: &http.Client{Transport: tr}, retry: leakRetries}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			clean, err := p.walk(ctx, s, leakScale)
			require.NoError(t, err)
			require.Greater(t, len(clean), leakScale.pages, "a walk of many requests")

			steps := []struct {
				name    string
				faults  []fakeserver.Fault
				wantErr func(err error) bool
			}{
				{name: "mid-walk 503, retried", faults: append(leakPass(5), leakStatus(http.StatusServiceUnavailable))},
				{name: "429 with Retry-After 5ms, retried", faults: append(leakPass(2),
					fakeserver.Fault{Kind: fakeserver.Status, Status: http.StatusTooManyRequests, RetryAfterRaw: "0.005"})},
				{name: "404 ends the walk", faults: append(leakPass(3), leakStatus(http.StatusNotFound)),
					wantErr: func(err error) bool { return errors.Is(err, workiva.ErrNotFound) }},
				{name: "500 until retries run out", faults: append(leakPass(4),
					leakStatus(http.StatusInternalServerError), leakStatus(http.StatusInternalServerError), leakStatus(http.StatusInternalServerError)),
					wantErr: func(err error) bool {
						info, ok := faultAPIInfo(err)
						return ok && info.StatusCode == http.StatusInternalServerError && info.Attempts == 3
					}},
				{name: "fault-free again"},
			}
			for _, st := range steps {
				srv.FailNext(st.faults...)
				got, err := p.walk(ctx, s, leakScale)
				srv.ClearFaults()
				if st.wantErr != nil {
					require.Error(t, err, st.name)
					assert.True(t, st.wantErr(err), "%s: unexpected error %v", st.name, err)
					continue
				}
				require.NoError(t, err, st.name)
				faultRequireSameItems(t, clean, got)
			}
			assert.EqualValues(t, 1, srv.Connections(), "every request of %d walks on one connection", len(steps)+1)
			t.Logf("%s: %d requests over %d walks (%d with injected errors) on %d connection(s)",
				p.name, srv.RequestCount(), len(steps)+1, len(steps)-1, srv.Connections())
		})
	}
}

// TestLeakCloseCSVStreamsReuseOneConnection reads Close CSV reports to the
// end and closes them, with a retried 503 among them: the streamed bodies
// give their connection back too.
func TestLeakCloseCSVStreamsReuseOneConnection(t *testing.T) {
	t.Parallel()
	srv := closetest.NewServer(closetest.WithRateLimit(0, time.Second))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := faultCloseClient(faultSettings{baseURL: srv.URL + closetest.BasePath, hc: &http.Client{Transport: tr}, retry: leakRetries})
	require.NoError(t, err)
	srv.FailNext(append(leakPass(3), leakStatus(http.StatusServiceUnavailable))...)
	var first []byte
	for i := range 10 {
		rc, err := c.GetActivityReportCSV(context.Background(), &closeapi.ActivityReportParams{Type: closeapi.ReportComparison,
			Metrics: faultCloseMetrics, DatetimeRange: &closeapi.DatetimeRange{Start: faultCloseStart, End: faultCloseStart.AddDate(0, 0, 7)}})
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		if i == 0 {
			first = b
			require.Contains(t, string(b), "user_id")
		}
		assert.Equal(t, string(first), string(b), "report %d", i)
	}
	assert.EqualValues(t, 11, srv.RequestCount(), "ten reports and one retry")
	assert.EqualValues(t, 1, srv.Connections())
}

// TestLeakBreakCancelsReadAhead breaks out of a read-ahead walk while the
// pages fetched ahead hang: the request in flight must be cancelled, so
// the fake's handlers end and Close returns at once instead of after the
// hang, and goleak finds no pager goroutine left.
func TestLeakBreakCancelsReadAhead(t *testing.T) {
	t.Parallel()
	hang := fakeserver.Fault{Kind: fakeserver.Slow, Delay: time.Hour}
	for _, p := range faultProviders() {
		if !p.paged {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			srv, base := p.start(leakScale, false)
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			srv.FailNext(append(leakPass(1), hang, hang, hang, hang, hang)...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			// The walk breaks at its first item, once the page fetched ahead
			// is hanging on the server.
			inFlight := false
			items, err := faultBreakAfter(ctx, p, faultSettings{baseURL: base, hc: &http.Client{Transport: tr},
				retry: leakRetries, readAhead: 4}, func() {
				for range 500 {
					if last, ok := srv.LastRequest(); ok && last.Fault != nil && last.Fault.Delay == time.Hour {
						inFlight = true
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
			require.NoError(t, err)
			require.Len(t, items, 1)
			require.True(t, inFlight, "the read-ahead request never reached the fake")
			start := time.Now()
			closed := make(chan struct{})
			go func() { srv.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(5 * time.Second):
				t.Fatal("the fake could not close: a read-ahead request still hangs after the caller broke out")
			}
			t.Logf("%s: fake closed %v after the break", p.name, time.Since(start).Round(time.Microsecond))
			hung := 0
			for _, r := range srv.Requests() {
				if r.Fault != nil && r.Fault.Delay == time.Hour {
					hung++
				}
			}
			assert.Equal(t, 1, hung, "no request started after the break")
		})
	}
}

// faultBreakAfter walks p, calls before at the first item and breaks out
// there.
func faultBreakAfter(ctx context.Context, p faultProvider, s faultSettings, before func()) ([]faultItem, error) {
	var out []faultItem
	err := p.each(ctx, s, leakScale, func(it faultItem) bool {
		before()
		out = append(out, it)
		return false
	})
	return out, err
}

// TestLeakReadAheadStopsAfterError walks with read-ahead into a 404: the
// walk ends with the error, nothing more is fetched, the connection is
// kept, and the pager's goroutine ends (goleak in TestMain).
func TestLeakReadAheadStopsAfterError(t *testing.T) {
	t.Parallel()
	for _, p := range faultProviders() {
		if !p.paged {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			srv, base := p.start(leakScale, false)
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			srv.FailNext(append(leakPass(2), leakStatus(http.StatusNotFound))...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			items, err := p.walk(ctx, faultSettings{baseURL: base, hc: &http.Client{Transport: tr}, retry: leakRetries, readAhead: 4}, leakScale)
			require.ErrorIs(t, err, workiva.ErrNotFound)
			assert.Equal(t, 2*leakScale.pageSize, faultRecords(items), "the two pages before the 404, in order")
			time.Sleep(50 * time.Millisecond) // room for a stray fetch to show
			assert.Len(t, srv.Requests(), 3, "nothing fetched after the 404")
			assert.EqualValues(t, 1, srv.Connections())
		})
	}
}
