// Command readme holds every Go code block of the repository's README.md,
// verbatim, so that they compile; readme_test.go runs them against the fakes
// and checks that README.md still matches this file.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/analytics"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

func main() {
	log.Println("this program only holds the README's code; run `go test ./examples/readme` to exercise it")
}

func newClients() error {
	// README: clients
	// Each reads its credential from the environment when no option names one.
	wk, err := workiva.NewClient(workiva.WithClientCredentials(os.Getenv("WORKIVA_CLIENT_ID"), os.Getenv("WORKIVA_CLIENT_SECRET")),
		workiva.WithRegion(workiva.RegionEU))
	if err != nil {
		return err
	}
	at, err := activtrak.NewClient() // ACTIVTRAK_API_KEY
	if err != nil {
		return err
	}
	sde, err := sdelements.NewClient(sdelements.WithBaseURL("https://acme.sdelements.com")) // SDE_API_TOKEN
	if err != nil {
		return err
	}
	cl, err := closeapi.NewClient(closeapi.WithAPIKey(os.Getenv("CLOSE_API_KEY")))
	if err != nil {
		return err
	}
	an, err := analytics.NewClient() // ANALYTICS_API_TOKEN, ANALYTICS_BASE_URL
	if err != nil {
		return err
	}
	// END README
	_, _, _, _, _ = wk, at, sde, cl, an
	return nil
}

func walk(ctx context.Context, wk *workiva.Client, orgID string) error {
	// README: walk
	for a, err := range wk.ListOrganizationActivities(ctx, orgID, nil).All() {
		if err != nil {
			return err // a failed page is yielded once; the walk stops there
		}
		fmt.Println(a.ActivityDateTime.Format(time.RFC3339), a.Action.Alias, a.Performer.DisplayName)
	}
	// END README
	return nil
}

// saveCheckpoint and loadCheckpoint stand for the user's own storage.
var checkpoints = map[string]string{}

func saveCheckpoint(name, token string) error { checkpoints[name] = token; return nil }
func loadCheckpoint(name string) string       { return checkpoints[name] }

// store stands for the user's own storage of records.
func store(a workiva.Activity) error {
	fmt.Println(a.ID, a.ActivityDateTime.Format(time.RFC3339), a.Action.Alias)
	return nil
}

func nightly(ctx context.Context, wk *workiva.Client, orgID string) error {
	// README: nightly
	// The same code runs the first night (no checkpoint stored yet: "") and every night after.
	params := &workiva.ListActivitiesParams{Checkpoint: loadCheckpoint("workiva")}
	for page, err := range wk.ListOrganizationActivities(ctx, orgID, params).Pages() {
		if err != nil {
			return err // run again: it continues after the last stored page
		}
		for _, a := range page.Items {
			if err := store(a); err != nil {
				return err
			}
		}
		// Store the checkpoint only after the page's records are stored.
		if err := saveCheckpoint("workiva", page.Checkpoint); err != nil {
			return err
		}
	}
	// END README
	return nil
}

func pages(ctx context.Context, sde *sdelements.Client) error {
	// README: pages
	params := &sdelements.ListActivitiesParams{
		DateFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		PageSize:  500,
		PageToken: loadCheckpoint("sde"), // "" the first time: start at the beginning
	}
	for page, err := range sde.ListActivities(ctx, params).Pages() {
		if err != nil {
			return err // run again later: the walk resumes after the last saved page
		}
		for _, a := range page.Items {
			fmt.Println(a.ID, a.Name, a.Text)
		}
		// Store the token only after the page's records are safely stored.
		if err := saveCheckpoint("sde", page.NextPageToken); err != nil {
			return err
		}
	}
	// END README
	return nil
}

func follow(ctx context.Context, at *activtrak.Client) error {
	// README: follow
	params := &activtrak.ActivityLogParams{StartDate: time.Now().AddDate(0, 0, -1), Checkpoint: loadCheckpoint("activtrak")}
	for page, err := range at.FollowActivityLog(ctx, params, 30*time.Second) {
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			fmt.Println(e.LogID, e.User, e.Executable, e.Duration)
		}
		if err := saveCheckpoint("activtrak", page.Checkpoint); err != nil {
			return err
		}
	}
	return ctx.Err() // a follow ends when ctx ends
	// END README
}

func report(ctx context.Context, cl *closeapi.Client) error {
	// README: report
	rep, err := cl.GetActivityReport(ctx, &closeapi.ActivityReportParams{
		Type:          closeapi.ReportComparison,
		Metrics:       []string{"calls.outbound.all.count", "emails.sent.all.count"},
		RelativeRange: closeapi.RangeLastMonth,
	})
	if err != nil {
		return err
	}
	for _, row := range rep.Rows {
		fmt.Println(rep.UserDisplayName(row.UserID), row.Values["calls.outbound.all.count"])
	}
	// END README
	return nil
}

func series(ctx context.Context, an *analytics.Client, clientID, userID string) error {
	// README: series
	// A year of daily data: the API allows 90 days per request, so the SDK
	// fetches aligned windows and stitches them into one series.
	ts, err := an.GetUserActivity(ctx, clientID, userID, &analytics.UserActivityParams{
		StartDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		EndDate:   time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return err
	}
	fmt.Println(ts.Label, len(ts.Data), "days") // every date once, in order, zeros included
	// END README
	return nil
}

func utilization(ctx context.Context, an *analytics.Client, clientID, categoryID string, from, to time.Time) error {
	// README: utilization
	for row, err := range an.ListAppUtilization(ctx, clientID, &analytics.AppUtilizationParams{
		StartDate: from, EndDate: to,
		CategoryIDs: []string{categoryID}, // sent as category_ids=<uuid>,<uuid>
	}).All() {
		if err != nil {
			return err
		}
		fmt.Println(row.App.Name, row.UniqueUsers.Value, row.ActiveTimeMS.Value/3.6e6, "h")
	}
	// END README
	return nil
}

func handleErrors(ctx context.Context, wk *workiva.Client, id string) error {
	// README: errors
	_, err := wk.GetActivity(ctx, id)
	var apiErr *workiva.APIError
	var badParams *workiva.ValidationError
	switch {
	case errors.Is(err, workiva.ErrNotFound): // the same sentinels in every package
		fmt.Println("no such activity")
	case errors.Is(err, workiva.ErrRateLimited) && errors.As(err, &apiErr):
		fmt.Println("rate limited; the server asked to wait", apiErr.RetryAfter)
	case errors.As(err, &apiErr):
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.Attempts)
	case errors.As(err, &badParams):
		fmt.Println("fix the call:", badParams.Field, badParams.Problem) // nothing was sent
	case err != nil:
		return err // no answer at all (connection, deadline): a *workiva.RequestError
	}
	// END README
	return nil
}

func policy() (*activtrak.Client, error) {
	// README: policy
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return activtrak.NewClient(
		activtrak.WithRetryPolicy(activtrak.RetryPolicy{
			MaxRetries:    8,                // attempts after the first; 0 turns retries off
			MinBackoff:    time.Second,      // full-jitter exponential backoff between these two
			MaxBackoff:    time.Minute,      // (waits grow 1s, 2s, 4s... up to this)
			MaxRetryAfter: 10 * time.Minute, // a longer server-requested wait returns the error at once
		}),
		activtrak.WithRateLimit(5, 2), // at most 5 requests/s, bursts of 2: pages and retries included
		activtrak.WithReadAhead(1),    // fetch the next page while this one is handled
		activtrak.WithLogger(logger),  // one line per retry and rate-limit wait, never a credential
		activtrak.WithUserAgent("nightly-export/1.4"),
		activtrak.WithMaxBodyBytes(64<<20), // a successful body past 64 MiB (inflated) fails: ErrBodyTooLarge
	)
	// END README
}

// fakeWalk is the README's testing example: a walk against the fake with 30%
// of requests failing still yields every activity once.
func fakeWalk(ctx context.Context) (int, error) {
	// README: fakes
	srv := workivatest.NewServer(workivatest.WithActivities(5000))
	defer srv.Close()
	srv.FailRandomly(0.3, 1, workivatest.AllFaults(10*time.Millisecond, 5*time.Millisecond)...)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
		// Short waits keep tests fast (set MaxRetries too: in a non-zero policy 0 means none).
		workiva.WithRetryPolicy(workiva.RetryPolicy{MaxRetries: 10, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}))
	// END README
	if err != nil {
		return 0, err
	}
	n := 0
	seen := map[string]bool{}
	for a, err := range c.ListOrganizationActivities(ctx, workivatest.OrganizationID, &workiva.ListActivitiesParams{PageSize: 100}).All() {
		if err != nil {
			return n, err
		}
		if seen[a.ID] {
			return n, fmt.Errorf("activity %s twice", a.ID)
		}
		seen[a.ID] = true
		n++
	}
	return n, nil
}
