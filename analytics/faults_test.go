package analytics_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func TestGetUserActivityRecoversFromEachFault(t *testing.T) {
	t.Parallel()
	for _, f := range analyticstest.AllFaults(10*time.Millisecond, 20*time.Millisecond) {
		t.Run(f.Kind.String()+"/"+http.StatusText(f.Status), func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			srv.FailNext(f)
			ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
			require.NoError(t, err)
			assert.Equal(t, wantSeries(analyticstest.UserID, analytics.GranularityDaily, date(2026, 1, 1), date(2026, 1, 15)), ts.Data)
			want := int64(2)
			if f.Kind == analyticstest.Slow {
				want = 1
			}
			assert.Equal(t, want, srv.RequestCount())
		})
	}
}

func TestGetUserActivityRetriesExhausted(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.FailNext(analyticstest.Fault503, analyticstest.Fault503, analyticstest.Fault503, analyticstest.Fault503)
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
	assert.Equal(t, 4, ae.Attempts)
	assert.Equal(t, "injected_fault", ae.Code)
	assert.Equal(t, "injected fault: Service Unavailable", ae.Message)
	assert.Contains(t, err.Error(), "4 attempts")
	assert.EqualValues(t, 4, srv.RequestCount())
}

func TestGetUserActivityTruncatedEveryTime(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	for range 4 {
		srv.FailNext(analyticstest.FaultTruncate)
	}
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, jan)
	var re *analytics.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
}

// faultOnRequest arms the fake with faults when the n-th request leaves the
// client, so a later window of a long range fails.
type faultOnRequest struct {
	srv    *analyticstest.Server
	n      int64
	faults []analyticstest.Fault
	count  atomic.Int64
}

func (f *faultOnRequest) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.count.Add(1) == f.n {
		f.srv.FailNext(f.faults...)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestGetUserActivityLaterWindowFails(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	rt := &faultOnRequest{srv: srv, n: 3, faults: []analyticstest.Fault{
		analyticstest.Fault500, analyticstest.Fault500, analyticstest.Fault500, analyticstest.Fault500}}
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL+analyticstest.BasePath),
		analytics.WithRetryPolicy(fastRetries), analytics.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 12, 31)})
	assert.Nil(t, ts, "no partial series")
	var ae *analytics.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
	assert.Contains(t, ae.URL, "start_date=2026-06-30", "the third window failed")
	assert.EqualValues(t, 2+4, srv.RequestCount(), "two windows, then four attempts at the third, then stop")
}

func TestGetUserActivityRandomFaultsOneYear(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	srv.FailRandomly(0.3, 7, analyticstest.AllFaults(5*time.Millisecond, 5*time.Millisecond)...)
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL+analyticstest.BasePath),
		analytics.WithRetryPolicy(analytics.RetryPolicy{MaxRetries: 10, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	require.NoError(t, err)
	for _, g := range []analytics.Granularity{analytics.GranularityDaily, analytics.GranularityWeekly, analytics.GranularityMonthly} {
		ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
			&analytics.UserActivityParams{Granularity: g, StartDate: date(2025, 7, 1), EndDate: date(2026, 6, 30)})
		require.NoError(t, err, g)
		assert.Equal(t, wantSeries(analyticstest.UserID, g, date(2025, 7, 1), date(2026, 6, 30)), ts.Data, g)
	}
	faults := 0
	for _, r := range srv.Requests() {
		if r.Fault != nil {
			faults++
		}
	}
	assert.Positive(t, faults, "some requests failed and were retried")
}

func TestGetUserActivityDeadlineDuringSlowAnswer(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.FailNext(analyticstest.Fault{Kind: analyticstest.Slow, Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, jan)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	assert.Less(t, time.Since(start), 2*time.Second)
}
