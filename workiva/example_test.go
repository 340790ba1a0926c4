package workiva_test

import (
	"context"
	"fmt"
	"time"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// exampleClient returns a client for a fake server; real code passes its own
// credentials and leaves the base URL to the region.
func exampleClient(srv *workivatest.Server) *workiva.Client {
	c, err := workiva.NewClient(
		workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
	)
	if err != nil {
		panic(err)
	}
	return c
}

func ExampleClient_GetActivity() {
	srv := workivatest.NewServer()
	defer srv.Close()
	c := exampleClient(srv)

	a, err := c.GetActivity(context.Background(), workivatest.ActivityID(12))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ActivityDateTime.Format("2006-01-02 15:04"), a.Action.Alias, a.Outcome)
	fmt.Println(a.Performer.DisplayName, a.Performer.IPAddress)
	fmt.Println(a.Workspace.Name)
	// Output:
	// 2026-01-01 00:12 workspace_membership_delete success
	// Integration Bot 10.4.0.13
	// Organization Management
}

func ExampleClient_GetActivityAction() {
	srv := workivatest.NewServer()
	defer srv.Close()
	c := exampleClient(srv)

	a, err := c.GetActivityAction(context.Background(), "com.workiva.administration.workspace_membership.create")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s, %s) deprecated=%v\n", a.Name, a.Alias, a.Category, a.Deprecated)
	// Output:
	// Workspace membership created (workspace_membership_create, Administration) deprecated=false
}

func ExampleClient_ListActivityActions() {
	srv := workivatest.NewServer()
	defer srv.Close()
	c := exampleClient(srv)

	params := &workiva.ListActivityActionsParams{PageSize: 5}
	for a, err := range c.ListActivityActions(context.Background(), params).All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		if a.Category == "Security" {
			fmt.Println(a.Alias)
		}
	}
	// Output:
	// user_login
	// user_logout
	// user_login_failed
}

func ExampleClient_ListOrganizationActivities() {
	srv := workivatest.NewServer(workivatest.WithActivities(5000))
	defer srv.Close()
	c := exampleClient(srv)

	params := &workiva.ListActivitiesParams{
		Filter:   workiva.And(workiva.ActionAlias("user_login_failed"), workiva.ActivityDateTime(workiva.OpGe, workivatest.DefaultStart.AddDate(0, 0, 3))).String(),
		OrderBy:  workiva.OrderByActivityDateTimeDesc,
		PageSize: 2,
	}
	n := 0
	for p, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, params).Pages() {
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range p.Items {
			fmt.Println(a.ActivityDateTime.Format("2006-01-02 15:04"), a.Action.Alias, a.Performer.DisplayName)
		}
		if n++; n == 2 {
			break // p.NextPageToken would resume from here
		}
	}
	// Output:
	// 2026-01-04 11:16 user_login_failed Adam Admin
	// 2026-01-04 11:03 user_login_failed Beth Builder
	// 2026-01-04 10:50 user_login_failed Beth Builder
	// 2026-01-04 10:37 user_login_failed Carl Compliance
}

func ExampleClient_ListWorkspaceActivities() {
	srv := workivatest.NewServer()
	defer srv.Close()
	c := exampleClient(srv)

	counts := map[workiva.Outcome]int{}
	for a, err := range c.ListWorkspaceActivities(context.Background(), workivatest.OrganizationID, workivatest.WorkspaceB, nil).All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		counts[a.Outcome]++
	}
	fmt.Println(counts[workiva.OutcomeSuccess], counts[workiva.OutcomeFailure], counts[workiva.OutcomePending], counts[workiva.OutcomeUnknown])
	// Output:
	// 38 12 0 13
}

func ExampleFilter() {
	f := workiva.And(
		workiva.Or(workiva.ActionAliasIn("user_login", "user_logout"), workiva.PerformerID("V0ZWc2VyHzE0NT8xNzAyMDA")),
		workiva.ActivityDateTime(workiva.OpGe, workivatest.DefaultStart),
	)
	if err := f.Err(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	// Output:
	// (action.alias in ('user_login', 'user_logout') or performer.id eq 'V0ZWc2VyHzE0NT8xNzAyMDA') and activityDateTime ge 2026-01-01T00:00:00Z
}

// Continue a feed every night: the same code runs the first night (no
// checkpoint yet) and every later one, and yields only what is new, late
// activities within the lookback included.
func ExampleClient_ListOrganizationActivities_checkpoint() {
	srv := workivatest.NewServer(workivatest.WithActivities(40))
	defer srv.Close()
	c := exampleClient(srv)
	checkpoint := "" // stored between runs: a file, a database row

	run := func() {
		n := 0
		params := &workiva.ListActivitiesParams{Checkpoint: checkpoint}
		for page, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, params).Pages() {
			if err != nil {
				fmt.Println(err)
				return
			}
			for _, a := range page.Items {
				if n++; n <= 2 || len(page.Items) < 5 {
					fmt.Println("-", a.ActivityDateTime.Format("15:04"), a.Action.Alias)
				}
			}
			checkpoint = page.Checkpoint // after the page's records are stored
		}
		fmt.Println("delivered:", n)
	}
	run()
	// The next day: two new activities, one recorded late (stamped before
	// the newest activity already delivered).
	newest := srv.ActivityTime(39)
	srv.AppendActivities(newest.Add(5*time.Minute), newest.Add(-15*time.Minute))
	run()
	run()
	// Output:
	// - 00:00 user_login
	// - 00:01 workspace_update
	// delivered: 40
	// - 00:24 user_logout
	// - 00:44 workspace_update
	// delivered: 2
	// delivered: 0
}

// WithEventHook sees every request, retry and wait as a typed Event: here a
// 503 the fake injects, retried.
func ExampleWithEventHook() {
	srv := workivatest.NewServer()
	defer srv.Close()
	c, err := workiva.NewClient(
		workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
		workiva.WithRetryPolicy(workiva.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
		workiva.WithEventHook(func(_ context.Context, e workiva.Event) {
			line := fmt.Sprintf("%s %s attempt=%d status=%d", e.Kind, e.Method, e.Attempt, e.StatusCode)
			if e.Reason != "" {
				line += " reason=" + e.Reason
			}
			fmt.Println(line)
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.FailNext(workivatest.Fault503)
	if _, err := c.GetActivity(context.Background(), workivatest.ActivityID(1)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// request GET attempt=1 status=503
	// retry GET attempt=2 status=503 reason=status 503
	// request GET attempt=2 status=200
}
