package analytics_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

// extraDayResponder answers every window with its dates, plus the day
// before the first window and the day after the last when asked to.
func extraDayResponder(first, last time.Time, before, after bool) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		start, _ := time.Parse(time.DateOnly, q.Get("start_date"))
		end, _ := time.Parse(time.DateOnly, q.Get("end_date"))
		var pts []string
		if before && start.Equal(first) {
			pts = append(pts, fmt.Sprintf(`{"date":%q,"value":99}`, start.AddDate(0, 0, -1).Format(time.DateOnly)))
		}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			pts = append(pts, fmt.Sprintf(`{"date":%q,"value":1}`, d.Format(time.DateOnly)))
		}
		if after && end.Equal(last) {
			pts = append(pts, fmt.Sprintf(`{"date":%q,"value":99}`, end.AddDate(0, 0, 1).Format(time.DateOnly)))
		}
		body := `{"metric":"activity-count","label":"Total Activity","period":{"start":"` + q.Get("start_date") +
			`","end":"` + q.Get("end_date") + `"},"data":[` + strings.Join(pts, ",") + `]}`
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	}
}

// TestSeriesHoldsExactlyTheRequestedDates is issue 14's defect 10: an extra
// day before the first window or after the last made a 731-day range give
// 732 points. Such points are dropped (and logged); the series holds
// exactly the requested dates, each once, in order.
func TestSeriesHoldsExactlyTheRequestedDates(t *testing.T) {
	t.Parallel()
	start, end := date(2025, 1, 1), date(2026, 12, 31) // 730 days
	for _, tc := range []struct {
		name          string
		before, after bool
		start, end    time.Time
	}{
		{"extra day before the first window", true, false, start, end},
		{"extra day after the last window", false, true, start, end},
		{"both", true, true, start, end},
		{"one window, both", true, true, date(2026, 1, 1), date(2026, 1, 15)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var logs bytes.Buffer
			c, err := analytics.NewClient(analytics.WithToken("tok-1234"), analytics.WithHTTPClient(&http.Client{Transport: checkRequests(t, mt)}),
				analytics.WithRetryPolicy(fastRetries), analytics.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, err)
			mt.RegisterResponder(http.MethodGet, seedURL, extraDayResponder(tc.start, tc.end, tc.before, tc.after))
			ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
				&analytics.UserActivityParams{StartDate: tc.start, EndDate: tc.end})
			require.NoError(t, err)
			n := int(tc.end.Sub(tc.start).Hours()/24) + 1
			require.Equal(t, n, len(ts.Data), "exactly the requested dates (old code: one more)")
			for i, p := range ts.Data {
				require.Equal(t, tc.start.AddDate(0, 0, i), p.Date, "point %d", i)
				require.Equal(t, 1.0, p.Value, "point %d", i)
			}
			assert.Contains(t, logs.String(), "dropped data points outside the requested range")
		})
	}
}

// The same rule for the endpoints without a range limit (one request).
func TestDeviceAndAppSeriesDropDaysOutsideTheRange(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	start, end := date(2026, 1, 1), date(2026, 12, 31)
	for _, kind := range []string{"devices", "apps"} {
		mt.RegisterResponder(http.MethodGet, "https://api.example.com/v2/clients/"+analyticstest.ClientID+"/analytics/"+kind+"/"+analyticstest.UserID+"/activity",
			extraDayResponder(start, end, true, true))
	}
	dev, err := c.GetDeviceActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.DeviceActivityParams{StartDate: start, EndDate: end})
	require.NoError(t, err)
	app, err := c.GetAppActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.AppActivityParams{StartDate: start, EndDate: end})
	require.NoError(t, err)
	for _, ts := range []*analytics.ActivityTimeSeries{dev, app} {
		require.Len(t, ts.Data, 365)
		assert.Equal(t, start, ts.Data[0].Date)
		assert.Equal(t, end, ts.Data[364].Date)
	}
	assert.Equal(t, 2, mt.GetTotalCallCount(), "one request each: no limit documented")
}

// A weekly point dated at its week's Monday before StartDate belongs to the
// range (its week meets it) and is kept; a whole week before is dropped.
func TestSeriesKeepsPeriodStartBeforeRange(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK,
		`{"metric":"activity-count","data":[{"date":"2025-12-22","value":7},{"date":"2025-12-29","value":1},{"date":"2026-01-05","value":2},{"date":"2026-01-19","value":5}]}`))
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{Granularity: analytics.GranularityWeekly, StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 11)})
	require.NoError(t, err)
	assert.Equal(t, []analytics.DataPoint{{Date: date(2025, 12, 29), Value: 1}, {Date: date(2026, 1, 5), Value: 2}}, ts.Data)
}

// A point inside the range that repeats a period is a *SeriesError, also in
// a one-request series.
func TestSeriesRepeatedPeriodIsSeriesError(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodGet, seedURL, httpmock.NewStringResponder(http.StatusOK,
		`{"metric":"activity-count","data":[{"date":"2026-01-05","value":1},{"date":"2026-01-07","value":2}]}`))
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{Granularity: analytics.GranularityWeekly, StartDate: date(2026, 1, 5), EndDate: date(2026, 1, 11)})
	var se *analytics.SeriesError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, date(2026, 1, 7), se.Date)
	assert.Equal(t, date(2026, 1, 5), se.Previous)
	assert.Equal(t, "analytics: stitching 2026-01-05..2026-01-11: data point 2026-01-07 follows 2026-01-05; the answers overlap or are out of order", err.Error())
}
