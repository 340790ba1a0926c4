package analytics_test

import (
	"context"
	"fmt"
	"time"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func ExampleClient_GetUserActivity() {
	srv := analyticstest.NewServer() // a fake API; use analytics.NewClient(analytics.WithToken(...)) for the real one
	defer srv.Close()

	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Half a year of weekly totals: more than 90 days, so fetched in two
	// windows and stitched.
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{
			Granularity: analytics.GranularityWeekly,
			StartDate:   time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
			EndDate:     time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC),
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s) %s..%s, %d weeks in %d requests\n", ts.Label, ts.Metric,
		ts.Period.Start.Format(time.DateOnly), ts.Period.End.Format(time.DateOnly), len(ts.Data), srv.RequestCount())
	for _, p := range ts.Data[:3] {
		fmt.Println(p.Date.Format(time.DateOnly), p.Value)
	}
	// Output:
	// Total Activity (activity-count) 2026-01-05..2026-05-03, 17 weeks in 2 requests
	// 2026-01-05 128
	// 2026-01-12 177
	// 2026-01-19 136
}

// Daily series include every date, days without activity as 0.
func ExampleClient_GetUserActivity_daily() {
	srv := analyticstest.NewServer()
	defer srv.Close()
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID,
		&analytics.UserActivityParams{
			StartDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			EndDate:   time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC),
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ts.Data {
		fmt.Println(p.Date.Format("2006-01-02 Mon"), p.Value)
	}
	// Output:
	// 2026-01-01 Thu 46
	// 2026-01-02 Fri 40
	// 2026-01-03 Sat 0
	// 2026-01-04 Sun 0
	// 2026-01-05 Mon 38
	// 2026-01-06 Tue 0
	// 2026-01-07 Wed 34
}
