package close_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

// exampleClient returns a client for the fake; with real credentials it
// would be closeapi.NewClient() reading CLOSE_API_KEY.
func exampleClient(srv *closetest.Server) *closeapi.Client {
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey(closetest.APIKey))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleNewClient() {
	srv := closetest.NewServer()
	defer srv.Close()

	c, err := closeapi.NewClient(
		closeapi.WithBaseURL(srv.URL), // omit for https://api.close.com/api/v1
		closeapi.WithAPIKey(closetest.APIKey),
		closeapi.WithRetryPolicy(closeapi.RetryPolicy{MaxRetries: 2}),
	)
	if err != nil {
		log.Fatal(err)
	}
	metrics, err := c.ListActivityMetrics(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	rl, _ := c.LastRateLimit(closeapi.GroupActivityMetrics)
	fmt.Printf("%d metrics; %d of %d requests left in this window\n", len(metrics), rl.Remaining, rl.Limit)
	// Output: 18 metrics; 99 of 100 requests left in this window
}

func ExampleClient_GetActivityReport() {
	srv := closetest.NewServer(closetest.WithUsers(3))
	defer srv.Close()
	c := exampleClient(srv)

	rep, err := c.GetActivityReport(context.Background(), &closeapi.ActivityReportParams{
		Type:    closeapi.ReportComparison,
		Metrics: []string{"calls.outbound.all.count", "calls.outbound.all.avg_duration"},
		DatetimeRange: &closeapi.DatetimeRange{
			Start: time.Date(2026, time.May, 13, 0, 0, 0, 0, time.UTC),
			End:   time.Date(2026, time.May, 14, 0, 0, 0, 0, time.UTC),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range rep.Rows {
		avg := "no calls"
		if v, ok := row.Value("calls.outbound.all.avg_duration"); ok {
			avg = fmt.Sprintf("%.0fs average", v)
		}
		fmt.Printf("%-16s %2.0f calls, %s\n", rep.UserDisplayName(row.UserID), row.Values["calls.outbound.all.count"], avg)
	}
	fmt.Printf("total            %2.0f calls\n", rep.Totals["calls.outbound.all.count"])
	// Output:
	// Ada Lovelace      3 calls, 203s average
	// Grace Knuth       0 calls, no calls
	// Alan Perlman      3 calls, 143s average
	// total             6 calls
}

func ExampleClient_GetActivityReportCSV() {
	srv := closetest.NewServer(closetest.WithUsers(2))
	defer srv.Close()
	c := exampleClient(srv)

	body, err := c.GetActivityReportCSV(context.Background(), &closeapi.ActivityReportParams{
		Type:          closeapi.ReportOverview,
		Metrics:       []string{"emails.sent.all.count", "meetings.all.count"},
		RelativeRange: closeapi.RangeThisWeek,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer body.Close()
	if _, err := io.Copy(os.Stdout, body); err != nil {
		log.Fatal(err)
	}
	// Output:
	// datetime,emails.sent.all.count,meetings.all.count
	// 2026-05-11T00:00:00+00:00,4,2
	// 2026-05-12T00:00:00+00:00,11,3
	// 2026-05-13T00:00:00+00:00,11,2
	// 2026-05-14T00:00:00+00:00,24,4
	// 2026-05-15T00:00:00+00:00,18,2
}

func ExampleClient_ListActivityMetrics() {
	srv := closetest.NewServer()
	defer srv.Close()
	c := exampleClient(srv)

	metrics, err := c.ListActivityMetrics(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range metrics[:4] {
		fmt.Printf("%s: %s\n", m.Key, m.Label)
	}
	// Output:
	// calls.outbound.all.count: Outbound calls
	// calls.inbound.all.count: Inbound calls
	// calls.outbound.all.sum_duration: Outbound call duration
	// calls.inbound.all.sum_duration: Inbound call duration
}

func ExampleClient_LastRateLimit() {
	srv := closetest.NewServer(closetest.WithRateLimit(240, time.Minute))
	defer srv.Close()
	c := exampleClient(srv)

	for i := 0; i < 3; i++ {
		if _, err := c.ListActivityMetrics(context.Background()); err != nil {
			log.Fatal(err)
		}
	}
	rl, ok := c.LastRateLimit(closeapi.GroupActivityMetrics)
	fmt.Println(ok, rl.Limit, rl.Remaining, rl.Reset > 0 && rl.Reset <= time.Minute)

	// The report has a window of its own, untouched by the catalogue calls.
	_, ok = c.LastRateLimit(closeapi.GroupActivityReport)
	fmt.Println(ok)
	// Output:
	// true 240 237 true
	// false
}

// ExampleWithTZOffset reports "today" as users in New York see it in Close
// (UTC-5 in winter), and one report for a team in India (UTC+5:30).
func ExampleWithTZOffset() {
	srv := closetest.NewServer(closetest.WithAnchor(time.Date(2026, 1, 15, 21, 0, 0, 0, time.UTC)))
	defer srv.Close()
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey(closetest.APIKey),
		closeapi.WithTZOffset(-5)) // sent as "X-TZ-Offset: -5" on every request
	if err != nil {
		log.Fatal(err)
	}
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview,
		Metrics: []string{"calls.outbound.all.count"}, RelativeRange: closeapi.RangeToday}
	rep, err := c.GetActivityReport(context.Background(), p)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Rows[0].Datetime.Format(time.RFC3339))

	india := 5.5
	p.TZOffset = &india // "X-TZ-Offset: 5.5" for this report only
	rep, err = c.GetActivityReport(context.Background(), p)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Rows[0].Datetime.Format(time.RFC3339))
	// Output:
	// 2026-01-15T00:00:00-05:00
	// 2026-01-16T00:00:00+05:30
}
