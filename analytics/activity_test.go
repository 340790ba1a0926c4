package analytics_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

// periodKey groups dates into periods without the package's arithmetic:
// ISO weeks (Monday to Sunday), calendar months, calendar quarters.
func periodKey(g analytics.Granularity, d time.Time) string {
	switch g {
	case analytics.GranularityWeekly:
		y, w := d.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case analytics.GranularityMonthly:
		return d.Format("2006-01")
	case analytics.GranularityQuarterly:
		return fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())+2)/3)
	}
	return d.Format("2006-01-02")
}

// wantSeries is the series a single unlimited request would give: one point
// per period meeting the range, dated at its first date inside the range,
// valued at the sum of analyticstest.DailyValue over those dates.
func wantSeries(userID string, g analytics.Granularity, start, end time.Time) []analytics.DataPoint {
	var out []analytics.DataPoint
	key := ""
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if k := periodKey(g, d); k != key {
			key = k
			out = append(out, analytics.DataPoint{Date: d})
		}
		out[len(out)-1].Value += analyticstest.DailyValue(analyticstest.ClientID, userID, d)
	}
	return out
}

func TestGetUserActivityExactRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 15)})
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, activityPath, r.RawPath)
	assert.Equal(t, url.Values{
		"granularity": {"daily"}, "start_date": {"2026-01-01"}, "end_date": {"2026-01-15"}, "metric": {"activity-count"},
	}, r.Query)
	assert.Equal(t, "Bearer "+analyticstest.Token, r.Header.Get("Authorization"))
	assert.Contains(t, r.Header.Get("User-Agent"), "activity-go/")
	assert.Empty(t, r.Body)

	assert.Equal(t, analytics.MetricActivityCount, ts.Metric)
	assert.Equal(t, "Total Activity", ts.Label)
	assert.Equal(t, analytics.Period{Start: date(2026, 1, 1), End: date(2026, 1, 15)}, ts.Period)
	require.Len(t, ts.Data, 15)
	assert.Equal(t, wantSeries(analyticstest.UserID, analytics.GranularityDaily, date(2026, 1, 1), date(2026, 1, 15)), ts.Data)
	zeros := 0
	for _, p := range ts.Data {
		assert.Equal(t, time.UTC, p.Date.Location())
		if p.Value == 0 {
			zeros++
		}
	}
	// 2026-01-03/04 and 10/11 are weekends: zero days are present, not skipped.
	assert.GreaterOrEqual(t, zeros, 4)
	assert.Equal(t, 0.0, ts.Data[2].Value, "Saturday 2026-01-03")
}

// TestMetricIsAPlainString: the design's contract has Metric as a string in
// the params and the model, so code that holds the metric in a string
// variable compiles and works.
func TestMetricIsAPlainString(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	metric := "activity-count" // a string variable, as read from a config file
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2), Metric: metric})
	require.NoError(t, err)
	var got string = ts.Metric
	assert.Equal(t, metric, got)
	assert.Equal(t, metric, srv.Requests()[0].Query.Get("metric"))
}

func TestGetUserActivityEscapesAndSendsIDsAsGiven(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	upper := "AA7CF840-9CA9-46A3-9778-9015D6580D50"
	ts, err := c.GetUserActivity(context.Background(), upper, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 2)})
	require.NoError(t, err)
	assert.Len(t, ts.Data, 2)
	r, _ := srv.LastRequest()
	assert.Equal(t, "/v2/clients/"+upper+"/analytics/users/"+analyticstest.UserID+"/activity", r.RawPath)
}

func TestGetUserActivityCalendarDateAsGiven(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ny := time.FixedZone("UTC-5", -5*3600)
	tokyo := time.FixedZone("UTC+9", 9*3600)
	// 23:30 on Jan 1 in UTC-5 is Jan 2 in UTC; 08:00 on Jan 10 in UTC+9 is
	// Jan 9 in UTC. The calendar dates as given are sent.
	_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: time.Date(2026, 1, 1, 23, 30, 0, 0, ny), EndDate: time.Date(2026, 1, 10, 8, 0, 0, 0, tokyo)})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, "2026-01-01", r.Query.Get("start_date"))
	assert.Equal(t, "2026-01-10", r.Query.Get("end_date"))
}

func TestGetUserActivityEachGranularity(t *testing.T) {
	t.Parallel()
	start, end := date(2026, 1, 7), date(2026, 3, 31) // 84 days: one request
	for _, tc := range []struct {
		g      analytics.Granularity
		points int
		first  []time.Time
	}{
		{analytics.GranularityDaily, 84, []time.Time{date(2026, 1, 7), date(2026, 1, 8)}},
		{analytics.GranularityWeekly, 13, []time.Time{date(2026, 1, 7), date(2026, 1, 12), date(2026, 1, 19)}},
		{analytics.GranularityMonthly, 3, []time.Time{date(2026, 1, 7), date(2026, 2, 1), date(2026, 3, 1)}},
		{analytics.GranularityQuarterly, 1, []time.Time{date(2026, 1, 7)}},
	} {
		t.Run(string(tc.g), func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.SecondUserID,
				&analytics.UserActivityParams{Granularity: tc.g, StartDate: start, EndDate: end, Metric: analytics.MetricActivityCount})
			require.NoError(t, err)
			require.Equal(t, 1, int(srv.RequestCount()))
			r, _ := srv.LastRequest()
			assert.Equal(t, string(tc.g), r.Query.Get("granularity"))
			require.Len(t, ts.Data, tc.points)
			for i, d := range tc.first {
				assert.Equal(t, d, ts.Data[i].Date, "point %d", i)
			}
			assert.Equal(t, wantSeries(analyticstest.SecondUserID, tc.g, start, end), ts.Data)
			total := 0.0
			for _, p := range ts.Data {
				total += p.Value
			}
			assert.Equal(t, sumDaily(analyticstest.SecondUserID, start, end), total, "every granularity sums to the same total")
		})
	}
}

func sumDaily(userID string, start, end time.Time) float64 {
	s := 0.0
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		s += analyticstest.DailyValue(analyticstest.ClientID, userID, d)
	}
	return s
}

type wantWindow struct{ start, end string }

func windowsSent(srv *analyticstest.Server) []wantWindow {
	var out []wantWindow
	for _, r := range srv.Requests() {
		out = append(out, wantWindow{r.Query.Get("start_date"), r.Query.Get("end_date")})
	}
	return out
}

func TestGetUserActivityOneYearDailyStitched(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 12, 31)})
	require.NoError(t, err)
	assert.Equal(t, []wantWindow{
		{"2026-01-01", "2026-03-31"}, {"2026-04-01", "2026-06-29"}, {"2026-06-30", "2026-09-27"},
		{"2026-09-28", "2026-12-26"}, {"2026-12-27", "2026-12-31"},
	}, windowsSent(srv))
	require.Len(t, ts.Data, 365)
	for i, p := range ts.Data {
		require.Equal(t, date(2026, 1, 1).AddDate(0, 0, i), p.Date, "point %d: no gap, no duplicate", i)
		require.Equal(t, analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, p.Date), p.Value, p.Date.Format(time.DateOnly))
	}
	assert.Equal(t, analytics.Period{Start: date(2026, 1, 1), End: date(2026, 12, 31)}, ts.Period)
	assert.Equal(t, analytics.MetricActivityCount, ts.Metric)
	assert.Equal(t, "Total Activity", ts.Label)
}

func TestGetUserActivityLeapYearDaily(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{StartDate: date(2028, 1, 1), EndDate: date(2028, 12, 31)})
	require.NoError(t, err)
	assert.Equal(t, wantSeries(analyticstest.UserID, analytics.GranularityDaily, date(2028, 1, 1), date(2028, 12, 31)), ts.Data)
	assert.Len(t, ts.Data, 366)
}

func TestGetUserActivityLongRangesEachGranularity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		g          analytics.Granularity
		start, end time.Time
		windows    []wantWindow
	}{
		{"weekly year", analytics.GranularityWeekly, date(2026, 1, 1), date(2026, 12, 31), []wantWindow{
			{"2026-01-01", "2026-03-29"}, {"2026-03-30", "2026-06-21"}, {"2026-06-22", "2026-09-13"},
			{"2026-09-14", "2026-12-06"}, {"2026-12-07", "2026-12-31"},
		}},
		{"monthly year", analytics.GranularityMonthly, date(2026, 1, 1), date(2026, 12, 31), []wantWindow{
			{"2026-01-01", "2026-03-31"}, {"2026-04-01", "2026-05-31"}, {"2026-06-01", "2026-07-31"},
			{"2026-08-01", "2026-09-30"}, {"2026-10-01", "2026-11-30"}, {"2026-12-01", "2026-12-31"},
		}},
		{"monthly mid-month", analytics.GranularityMonthly, date(2026, 1, 20), date(2026, 5, 10), []wantWindow{
			{"2026-01-20", "2026-03-31"}, {"2026-04-01", "2026-05-10"},
		}},
		{"quarterly partial quarters", analytics.GranularityQuarterly, date(2026, 2, 15), date(2026, 5, 20), []wantWindow{
			{"2026-02-15", "2026-03-31"}, {"2026-04-01", "2026-05-20"},
		}},
		{"quarterly non-leap Q1 whole", analytics.GranularityQuarterly, date(2025, 11, 1), date(2026, 3, 31), []wantWindow{
			{"2025-11-01", "2025-12-31"}, {"2026-01-01", "2026-03-31"},
		}},
		{"daily 91 days", analytics.GranularityDaily, date(2026, 1, 1), date(2026, 4, 1), []wantWindow{
			{"2026-01-01", "2026-03-31"}, {"2026-04-01", "2026-04-01"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
				&analytics.UserActivityParams{Granularity: tc.g, StartDate: tc.start, EndDate: tc.end})
			require.NoError(t, err)
			assert.Equal(t, tc.windows, windowsSent(srv))
			assert.Equal(t, wantSeries(analyticstest.UserID, tc.g, tc.start, tc.end), ts.Data)
			assert.Equal(t, analytics.Period{Start: tc.start, End: tc.end}, ts.Period)
		})
	}
}

// With points dated at their period's calendar start (the other reading of
// the documentation), stitching still gives every period once, in order.
func TestGetUserActivityStitchesPeriodStartDates(t *testing.T) {
	t.Parallel()
	for _, g := range []analytics.Granularity{analytics.GranularityWeekly, analytics.GranularityMonthly} {
		t.Run(string(g), func(t *testing.T) {
			t.Parallel()
			_, c := newFake(t, analyticstest.WithPeriodStartDates())
			start, end := date(2026, 1, 14), date(2026, 11, 20)
			ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
				&analytics.UserActivityParams{Granularity: g, StartDate: start, EndDate: end})
			require.NoError(t, err)
			want := wantSeries(analyticstest.UserID, g, start, end)
			require.Len(t, ts.Data, len(want))
			for i := range want {
				assert.Equal(t, want[i].Value, ts.Data[i].Value, "point %d", i)
				assert.Equal(t, periodKey(g, want[i].Date), periodKey(g, ts.Data[i].Date), "point %d", i)
			}
			assert.True(t, ts.Data[0].Date.Before(start), "first point dated at its period's start")
		})
	}
}

func TestGetUserActivityQuarterlyTooLong(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		start, end time.Time
		quarter    string
	}{
		{"year", date(2026, 1, 1), date(2026, 12, 31), "the quarter 2026-Q2 alone covers 91 days of it (2026-04-01..2026-06-30)"},
		{"one whole Q3", date(2026, 7, 1), date(2026, 9, 30), "the quarter 2026-Q3 alone covers 92 days of it (2026-07-01..2026-09-30)"},
		{"leap Q1", date(2028, 1, 1), date(2028, 4, 2), "the quarter 2028-Q1 alone covers 91 days of it (2028-01-01..2028-03-31)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t)
			_, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
				&analytics.UserActivityParams{Granularity: analytics.GranularityQuarterly, StartDate: tc.start, EndDate: tc.end})
			var ve *analytics.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "Granularity", ve.Field)
			assert.Contains(t, err.Error(), tc.quarter)
			assert.Contains(t, err.Error(), "GranularityMonthly")
			assert.Zero(t, srv.RequestCount())
		})
	}
}

func TestGetUserActivityQuarterlyUpTo90Days(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{Granularity: analytics.GranularityQuarterly, StartDate: date(2026, 3, 1), EndDate: date(2026, 5, 29)})
	require.NoError(t, err)
	assert.Equal(t, []wantWindow{{"2026-03-01", "2026-05-29"}}, windowsSent(srv))
	assert.Equal(t, []analytics.DataPoint{
		{Date: date(2026, 3, 1), Value: sumDaily(analyticstest.UserID, date(2026, 3, 1), date(2026, 3, 31))},
		{Date: date(2026, 4, 1), Value: sumDaily(analyticstest.UserID, date(2026, 4, 1), date(2026, 5, 29))},
	}, ts.Data)
}

func TestGetUserActivityGeneratedUsers(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, analyticstest.WithUsers(1000))
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.GeneratedUserID(999),
		&analytics.UserActivityParams{StartDate: date(2026, 1, 5), EndDate: date(2026, 1, 9)})
	require.NoError(t, err)
	assert.Equal(t, wantSeries(analyticstest.GeneratedUserID(999), analytics.GranularityDaily, date(2026, 1, 5), date(2026, 1, 9)), ts.Data)
}
