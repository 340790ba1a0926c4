package workiva_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// runFeed is one nightly run: it continues from checkpoint, stores every
// page's items and then its checkpoint, and stops after stopAfter pages (0:
// never) as if killed, or at the first error. It returns the ids read and
// the checkpoint stored last.
func runFeed(t *testing.T, pager *workiva.Pager[workiva.Activity], checkpoint string, stopAfter int) ([]string, string, error) {
	t.Helper()
	var got []string
	pages := 0
	for page, err := range pager.Pages() {
		if err != nil {
			return got, checkpoint, err
		}
		require.NotEmpty(t, page.Checkpoint, "every yielded page of a feed carries a checkpoint")
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		checkpoint = page.Checkpoint
		if pages++; pages == stopAfter {
			break
		}
	}
	return got, checkpoint, nil
}

// TestFeedExactlyOnceAcrossRuns: five nightly runs against a fake that
// gains activities between runs (some stamped earlier than activities already
// delivered, within the lookback), 30% of requests faulted, one run killed
// after two pages: every activity is delivered exactly once.
func TestFeedExactlyOnceAcrossRuns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		list func(c *workiva.Client, p *workiva.ListActivitiesParams) *workiva.Pager[workiva.Activity]
		keep func(i int) bool
	}{
		{"organization", func(c *workiva.Client, p *workiva.ListActivitiesParams) *workiva.Pager[workiva.Activity] {
			return c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, p)
		}, func(int) bool { return true }},
		{"workspace", func(c *workiva.Client, p *workiva.ListActivitiesParams) *workiva.Pager[workiva.Activity] {
			return c.ListWorkspaceActivities(context.Background(), workivatest.OrganizationID, workivatest.WorkspaceB, p)
		}, func(i int) bool { return i%4 == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := workivatest.NewServer(workivatest.WithActivities(300))
			defer srv.Close()
			c := newClient(t, srv, workiva.WithRetryPolicy(workiva.RetryPolicy{MaxRetries: 8, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
			srv.FailRandomly(0.3, 15, workivatest.AllFaults(time.Millisecond, time.Millisecond)...)

			seen := map[string]int{}
			checkpoint := ""
			requests, faults := 0, 0
			newest := srv.ActivityTime(299)
			for run := 1; run <= 5; run++ {
				stop := 0
				if run == 2 {
					stop = 2 // killed after two pages
				}
				got, cp, err := runFeed(t, tc.list(c, &workiva.ListActivitiesParams{PageSize: 10, Checkpoint: checkpoint}), checkpoint, stop)
				require.NoError(t, err, "run %d", run)
				for _, id := range got {
					seen[id]++
				}
				checkpoint = cp
				if run > 1 {
					for _, r := range srv.Requests() {
						if r.Fault == nil && r.Query.Get("$next") == "" && !strings.Contains(r.RawQuery, "$next") {
							assert.Contains(t, r.Query.Get("$filter"), "activityDateTime ge ", "a continuing walk re-reads from its window")
						}
					}
				}
				for _, r := range srv.Requests() {
					requests++
					if r.Fault != nil {
						faults++
					}
				}
				srv.ResetRequests()
				// Between runs: 20 new activities, and 8 stamped up to 50
				// minutes before the newest one (late, within the 1h default).
				var at []time.Time
				for k := 1; k <= 20; k++ {
					at = append(at, newest.Add(time.Duration(k)*time.Minute))
				}
				for k := 1; k <= 8; k++ {
					at = append(at, newest.Add(-time.Duration(k*6)*time.Minute))
				}
				newest = newest.Add(20 * time.Minute)
				srv.AppendActivities(at...)
			}
			// A last run reads what the fifth night appended.
			got, _, err := runFeed(t, tc.list(c, &workiva.ListActivitiesParams{PageSize: 10, Checkpoint: checkpoint}), checkpoint, 0)
			require.NoError(t, err)
			for _, id := range got {
				seen[id]++
			}
			want := 0
			for i := 0; i < srv.ActivityCount(); i++ {
				if !tc.keep(i) {
					continue
				}
				want++
				assert.Equal(t, 1, seen[workivatest.ActivityID(i)], "activity %d", i)
			}
			assert.Len(t, seen, want)
			assert.Equal(t, 300+5*28, srv.ActivityCount())
			assert.Positive(t, faults)
			t.Logf("%d activities, each delivered once over 6 runs; %d requests, %d faults injected", want, requests, faults)
		})
	}
}

// TestFeedLateBeyondLookback documents what happens to an activity stamped
// earlier than the window: a continuing walk does not deliver it.
func TestFeedLateBeyondLookback(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(50))
	org := workivatest.OrganizationID
	_, cp, err := runFeed(t, c.ListOrganizationActivities(context.Background(), org, nil), "", 0)
	require.NoError(t, err)
	newest := srv.ActivityTime(49)
	late := srv.AppendActivities(newest.Add(-2*time.Hour), newest.Add(-30*time.Minute), newest.Add(time.Minute))
	got, cp2, err := runFeed(t, c.ListOrganizationActivities(context.Background(), org,
		&workiva.ListActivitiesParams{Checkpoint: cp}), cp, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{late[1], late[2]}, got, "within the lookback: delivered; 2h before: not")
	// A longer lookback given with the next checkpoint does not reach back
	// past the window the checkpoint recorded.
	got, _, err = runFeed(t, c.ListOrganizationActivities(context.Background(), org,
		&workiva.ListActivitiesParams{Checkpoint: cp2, Lookback: 5 * time.Hour}), cp2, 0)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestFeedCheckpointOnEveryPageAndResumeAnyPage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(95))
	org := workivatest.OrganizationID
	var cps []string
	var all []string
	for page, err := range c.ListOrganizationActivities(context.Background(), org, &workiva.ListActivitiesParams{PageSize: 10}).Pages() {
		require.NoError(t, err)
		require.NotEmpty(t, page.Checkpoint)
		assert.Less(t, len(page.Checkpoint), 32<<10)
		cps = append(cps, page.Checkpoint)
		for _, a := range page.Items {
			all = append(all, a.ID)
		}
	}
	require.Len(t, cps, 10)
	assert.Equal(t, "activityDateTime asc", srv.Requests()[0].Query.Get("$orderBy"))
	for k, cp := range cps {
		got, _, err := runFeed(t, c.ListOrganizationActivities(context.Background(), org, &workiva.ListActivitiesParams{PageSize: 10, Checkpoint: cp}), cp, 0)
		require.NoError(t, err)
		assert.Equal(t, all[min(10*(k+1), 95):], nonNil(got), "continuing from page %d", k+1)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestFeedCheckpointValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(20))
	// Another host: the same fake reached as localhost (a loopback host's
	// port is not part of a checkpoint's list, as it changes between runs).
	c2 := newClient(t, srv, workiva.WithBaseURL(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)))
	ctx := context.Background()
	org := workivatest.OrganizationID
	_, orgCP, err := runFeed(t, c.ListOrganizationActivities(ctx, org, nil), "", 0)
	require.NoError(t, err)
	_, wsCP, err := runFeed(t, c.ListWorkspaceActivities(ctx, org, workivatest.WorkspaceA, nil), "", 0)
	require.NoError(t, err)
	_, hostCP, err := runFeed(t, c2.ListOrganizationActivities(ctx, org, nil), "", 0)
	require.NoError(t, err)
	corrupt := []byte(orgCP)
	corrupt[len(corrupt)/2] ^= 1
	srv.ResetRequests()

	cases := []struct {
		name, field, problem string
		pager                *workiva.Pager[workiva.Activity]
	}{
		{"workspace checkpoint to the organization list", "Checkpoint", "is a checkpoint of workiva.ListWorkspaceActivities",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: wsCP})},
		{"other workspace", "Checkpoint", "another list",
			c.ListWorkspaceActivities(ctx, org, workivatest.WorkspaceB, &workiva.ListActivitiesParams{Checkpoint: wsCP})},
		{"other organization", "Checkpoint", "another list",
			c.ListOrganizationActivities(ctx, "00000000-0000-0000-0000-000000000000", &workiva.ListActivitiesParams{Checkpoint: orgCP})},
		{"other host", "Checkpoint", "another list",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: hostCP})},
		{"corrupt", "Checkpoint", "corrupt",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: string(corrupt)})},
		{"oversized", "Checkpoint", "more than the 32768",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: "ck1." + strings.Repeat("A", 40<<10)})},
		{"not a checkpoint", "Checkpoint", "is not a checkpoint",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: "yesterday"})},
		{"future version", "Checkpoint", `format version "9"`,
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: "ck9.AAAA"})},
		{"with a page token", "Checkpoint", "cannot be combined with PageToken",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: orgCP, PageToken: "abc"})},
		{"descending order", "OrderBy", "to continue from a Checkpoint",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: orgCP, OrderBy: workiva.OrderByActivityDateTimeDesc})},
		{"negative lookback", "Lookback", "must not be negative",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Checkpoint: orgCP, Lookback: -time.Hour})},
		{"empty In list", "Filter", "action.alias in: no values",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Filter: workiva.ActionAliasIn().String()})},
		{"empty In inside And", "Filter", "target.id in: no values",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Filter: workiva.And(workiva.ActionAlias("a"), workiva.TargetIDIn()).String()})},
		{"reversed Between", "Filter", "is not after the start",
			c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Filter: workiva.Between(time.Now(), time.Now().Add(-time.Hour)).String()})},
	}
	for _, tc := range cases {
		n := 0
		for _, err := range tc.pager.All() {
			n++
			var ve *workiva.ValidationError
			require.ErrorAs(t, err, &ve, tc.name)
			assert.Equal(t, "ListActivitiesParams", ve.Params, tc.name)
			assert.Equal(t, tc.field, ve.Field, tc.name)
			assert.Contains(t, ve.Error(), tc.problem, tc.name)
		}
		assert.Equal(t, 1, n, tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}

func TestFeedDescendingWalkHasNoCheckpoint(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, workivatest.WithActivities(30))
	n := 0
	for page, err := range c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
		&workiva.ListActivitiesParams{OrderBy: workiva.OrderByActivityDateTimeDesc, PageSize: 10}).Pages() {
		require.NoError(t, err)
		assert.Empty(t, page.Checkpoint)
		n += len(page.Items)
	}
	assert.Equal(t, 30, n)
}

func TestEventHook(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer(workivatest.WithActivities(30))
	defer srv.Close()
	var events []workiva.Event
	c := newClient(t, srv, workiva.WithEventHook(func(_ context.Context, e workiva.Event) { events = append(events, e) }))
	srv.FailNext(workivatest.Fault503)
	_, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, &workiva.ListActivitiesParams{PageSize: 20}).Collect()
	require.NoError(t, err)
	var kinds []workiva.EventKind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		assert.Equal(t, "workiva", e.Provider)
		assert.NotContains(t, e.URL, workivatest.ClientSecret)
	}
	assert.Equal(t, []workiva.EventKind{workiva.EventRequest, workiva.EventRetry, workiva.EventRequest, workiva.EventRequest}, kinds)
	assert.Equal(t, 503, events[0].StatusCode)
	assert.Equal(t, "status 503", events[1].Reason)
	assert.Equal(t, 200, events[3].StatusCode)
	assert.Len(t, srv.Requests(), 3)
}

// TestFeedCombinesTheUsersFilter: a continuing walk sends the window and
// the user's own $filter joined by "and" (the user's in parentheses, so an
// "or" stays inside), and yields only matching new activities.
func TestFeedCombinesTheUsersFilter(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, workivatest.WithActivities(60))
	org := workivatest.OrganizationID
	f := workiva.Or(workiva.ActionAlias("user_login"), workiva.ActionAlias("user_logout")).String()
	first, cp, err := runFeed(t, c.ListOrganizationActivities(context.Background(), org, &workiva.ListActivitiesParams{Filter: f}), "", 0)
	require.NoError(t, err)
	require.NotEmpty(t, first)
	newest := srv.ActivityTime(59)
	var at []time.Time
	for k := 1; k <= 26; k++ {
		at = append(at, newest.Add(time.Duration(k)*time.Second))
	}
	added := srv.AppendActivities(at...)
	srv.ResetRequests()
	got, _, err := runFeed(t, c.ListOrganizationActivities(context.Background(), org, &workiva.ListActivitiesParams{Filter: f, Checkpoint: cp}), cp, 0)
	require.NoError(t, err)
	var want []string
	for k, id := range added {
		if alias := workivatest.Actions()[(7*(60+k))%13].Alias; alias == "user_login" || alias == "user_logout" {
			want = append(want, id)
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)
	q := srv.Requests()[0].Query.Get("$filter")
	var lastDelivered time.Time
	for i := 0; i < 60; i++ {
		if workivatest.ActivityID(i) == first[len(first)-1] {
			lastDelivered = srv.ActivityTime(i)
		}
	}
	window := lastDelivered.Add(-workiva.DefaultLookback).Format(time.RFC3339)
	assert.Equal(t, "activityDateTime ge "+window+" and (action.alias eq 'user_login' or action.alias eq 'user_logout')", q)
}
