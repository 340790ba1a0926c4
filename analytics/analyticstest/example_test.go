package analyticstest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

// Test code that uses the analytics client against the fake, including how
// it copes with a rate-limited answer and an unknown user.
func ExampleNewServer() {
	srv := analyticstest.NewServer()
	defer srv.Close()
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL),
		analytics.WithRetryPolicy(analytics.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		fmt.Println(err)
		return
	}
	params := &analytics.UserActivityParams{
		StartDate: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		EndDate:   time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
	}

	f := analyticstest.Fault429
	f.RetryAfterRaw = "0.001" // ask for a 1ms wait
	srv.FailNext(f)
	ts, err := c.GetUserActivity(context.Background(), analyticstest.ClientID, analyticstest.UserID, params)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ts.Data {
		want := analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, p.Date)
		fmt.Println(p.Date.Format(time.DateOnly), p.Value, p.Value == want)
	}
	fmt.Println("requests:", srv.RequestCount())

	_, err = c.GetUserActivity(context.Background(), analyticstest.ClientID, "11111111-2222-4333-8444-555555555555", params)
	fmt.Println(errors.Is(err, analytics.ErrNotFound))
	// Output:
	// 2026-03-02 0 true
	// 2026-03-03 46 true
	// 2026-03-04 31 true
	// requests: 2
	// true
}
