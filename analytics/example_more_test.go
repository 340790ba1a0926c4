package analytics_test

import (
	"context"
	"fmt"
	"time"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

// exampleClient starts the fake and a client for it.
func exampleClient() (*analyticstest.Server, *analytics.Client) {
	srv := analyticstest.NewServer() // a fake API; use analytics.NewClient(analytics.WithToken(...)) for the real one
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	return srv, c
}

func ExampleClient_GetDeviceActivity() {
	srv, c := exampleClient()
	defer srv.Close()
	// Distinct users per day on a shared device, one work week.
	ts, err := c.GetDeviceActivity(context.Background(), analyticstest.ClientID, analyticstest.DeviceID,
		&analytics.DeviceActivityParams{
			Metric:    analytics.MetricUserCount,
			StartDate: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			EndDate:   time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC),
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ts.Label)
	for _, p := range ts.Data {
		fmt.Println(p.Date.Format("2006-01-02 Mon"), p.Value)
	}
	// Output:
	// Daily Users
	// 2026-03-02 Mon 2
	// 2026-03-03 Tue 3
	// 2026-03-04 Wed 4
	// 2026-03-05 Thu 0
	// 2026-03-06 Fri 2
}

func ExampleClient_GetAppActivity() {
	srv, c := exampleClient()
	defer srv.Close()
	// Active time is in milliseconds; a whole year is one request (no range
	// limit is documented for apps).
	ts, err := c.GetAppActivity(context.Background(), analyticstest.ClientID, analyticstest.AppID,
		&analytics.AppActivityParams{
			Granularity: analytics.GranularityQuarterly,
			Metric:      analytics.MetricActiveTime,
			StartDate:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			EndDate:     time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ts.Data {
		fmt.Printf("%s %.0f h\n", p.Date.Format("2006-01"), p.Value/float64(time.Hour/time.Millisecond))
	}
	fmt.Println("requests:", srv.RequestCount())
	// Output:
	// 2025-01 777 h
	// 2025-04 1268 h
	// 2025-07 1502 h
	// 2025-10 1537 h
	// requests: 1
}

func ExampleClient_ListAppUtilization() {
	srv, c := exampleClient()
	defer srv.Close()
	params := &analytics.AppUtilizationParams{
		StartDate:  time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		EndDate:    time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		IsApproved: new(bool), // only unapproved apps
		PageSize:   10,
	}
	pages := 0
	for page, err := range c.ListAppUtilization(context.Background(), analyticstest.ClientID, params).Pages() {
		if err != nil {
			fmt.Println(err)
			return
		}
		if pages == 0 {
			fmt.Println("total:", *page.Total)
			for _, row := range page.Items[:3] {
				fmt.Printf("%-12s %3.0f users %6.1f h\n", row.App.Name, row.UniqueUsers.Value, row.ActiveTimeMS.Value/3.6e6)
			}
		}
		pages++
		// page.NextPageToken, stored, resumes the walk here (PageToken).
	}
	fmt.Println("pages:", pages)
	// Output:
	// total: 35
	// Sheets 7      39 users  646.1 h
	// Chat 1        40 users  621.4 h
	// Chat 6        39 users  617.8 h
	// pages: 4
}

func ExampleClient_GetAppUtilizationSummary() {
	srv, c := exampleClient()
	defer srv.Close()
	s, err := c.GetAppUtilizationSummary(context.Background(), analyticstest.ClientID, &analytics.AppUtilizationSummaryParams{
		StartDate:        time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		EndDate:          time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		CompareStartDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		CompareEndDate:   time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	pct := func(m analytics.Measure) string {
		if m.ChangePct == nil {
			return "n/a"
		}
		return fmt.Sprintf("%+.1f%%", *m.ChangePct)
	}
	fmt.Println("apps with activity:", s.TotalApps.Value, pct(s.TotalApps))
	fmt.Println("discovered:", s.DiscoveredApps.Value, "dropped off:", s.DroppedOffApps.Value)
	// Output:
	// apps with activity: 91 +7.1%
	// discovered: 7 dropped off: 14
}

func ExampleClient_GetAppUtilizationRankings() {
	srv, c := exampleClient()
	defer srv.Close()
	r, err := c.GetAppUtilizationRankings(context.Background(), analyticstest.ClientID, &analytics.AppUtilizationRankingsParams{
		Granularity: analytics.GranularityWeekly,
		StartDate:   time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC),
		EndDate:     time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, slot := range []struct {
		name string
		r    analytics.Ranking
	}{{"sessions/week", r.ByInteractions}, {"hours/week", r.ByTime}, {"users", r.ByActiveUsers}} {
		v := slot.r.Leader.Metric.Value
		if slot.name == "hours/week" {
			v /= 3.6e6
		}
		fmt.Printf("%-13s %-10s %.1f\n", slot.name, slot.r.Leader.App.Name, v)
	}
	fmt.Println("biggest increase without a comparison period:", r.ByTime.BiggestIncrease)
	// Output:
	// sessions/week Code 8     327.8
	// hours/week    CRM 6      175.9
	// users         Chat 1     40.0
	// biggest increase without a comparison period: <nil>
}
