package sdelements_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// runFeed is one nightly run: it continues from checkpoint, keeps every
// page's items and then its checkpoint, and stops after stopAfter pages (0:
// never) as if killed.
func runFeed(t *testing.T, c *sdelements.Client, p sdelements.ListActivitiesParams, stopAfter int) ([]int64, string, error) {
	t.Helper()
	checkpoint := p.Checkpoint
	var got []int64
	pages := 0
	for page, err := range c.ListActivities(ctx, &p).Pages() {
		if err != nil {
			return got, checkpoint, err
		}
		require.NotEmpty(t, page.Checkpoint, "every yielded page of the feed carries a checkpoint")
		assert.LessOrEqual(t, len(page.Checkpoint), 32<<10)
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
// gains activities between runs (some dated earlier than activities already
// delivered, within the lookback), 30% of requests faulted, two runs killed
// partway: every activity is delivered exactly once.
func TestFeedExactlyOnceAcrossRuns(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(300)},
		sdelements.WithRetryPolicy(sdelements.RetryPolicy{MaxRetries: 8, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	srv.FailRandomly(0.3, 15, sdelementstest.AllFaults(time.Millisecond, time.Millisecond)...)
	seen := map[int64]int{}
	checkpoint := ""
	requests, faults := 0, 0
	newest := srv.Date(300)
	for run := 1; run <= 6; run++ {
		stop := 0
		if run == 2 || run == 4 {
			stop = 2 // killed after two pages
		}
		got, cp, err := runFeed(t, c, sdelements.ListActivitiesParams{PageSize: 10, Checkpoint: checkpoint}, stop)
		require.NoError(t, err, "run %d", run)
		for _, id := range got {
			seen[id]++
		}
		checkpoint = cp
		for _, r := range srv.Requests() {
			requests++
			if r.Fault != nil {
				faults++
			}
			if run > 1 {
				assert.NotEmpty(t, r.Query.Get("date_from"), "a continuing walk re-reads from its window")
			}
		}
		srv.ResetRequests()
		if run == 6 {
			break
		}
		var dates []time.Time
		for k := 1; k <= 20; k++ {
			dates = append(dates, newest.Add(time.Duration(k)*time.Minute))
		}
		// Late: dated up to 50 minutes before the newest activity.
		for k := 1; k <= 8; k++ {
			dates = append(dates, newest.Add(-time.Duration(k*6)*time.Minute))
		}
		srv.AppendActivities(dates...)
		newest = newest.Add(20 * time.Minute)
	}
	for id := int64(1); id <= srv.Len(); id++ {
		assert.Equal(t, 1, seen[id], "activity %d", id)
	}
	assert.Len(t, seen, 300+5*28)
	assert.Positive(t, faults)
	t.Logf("%d activities, each delivered once over 6 runs (2 killed partway); %d requests, %d faults injected", len(seen), requests, faults)
}

func TestFeedLateBeyondLookback(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(40)})
	_, cp, err := runFeed(t, c, sdelements.ListActivitiesParams{}, 0)
	require.NoError(t, err)
	newest := srv.Date(40)
	late := srv.AppendActivities(newest.Add(-3*time.Hour), newest.Add(-20*time.Minute), newest.Add(time.Second))
	got, cp, err := runFeed(t, c, sdelements.ListActivitiesParams{Checkpoint: cp}, 0)
	require.NoError(t, err)
	assert.Equal(t, []int64{late[2], late[1]}, got, "newest first; 3h before the newest: not delivered")
	// Nothing new: the walk yields nothing, or one empty page with a checkpoint.
	got, _, err = runFeed(t, c, sdelements.ListActivitiesParams{Checkpoint: cp, Lookback: 24 * time.Hour}, 0)
	require.NoError(t, err)
	assert.Empty(t, got)
	reqs := srv.Requests()
	assert.Equal(t, sdeDate(newest.Add(time.Second).Add(-time.Hour)), reqs[len(reqs)-1].Query.Get("date_from"),
		"the window starts the lookback before the newest date seen")
}

func sdeDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999999Z") }

func TestFeedResumeFromAnyPage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(95)})
	var cps []string
	var all []int64
	for page, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 10}).Pages() {
		require.NoError(t, err)
		require.NotEmpty(t, page.Checkpoint)
		cps = append(cps, page.Checkpoint)
		for _, a := range page.Items {
			all = append(all, a.ID)
		}
	}
	require.Len(t, cps, 10)
	assert.Equal(t, descending(95, 1), all)
	// Each page's checkpoint continues right after its records, even with
	// new activities recorded meanwhile.
	newID := srv.AppendActivities(srv.Date(95).Add(time.Minute))[0]
	for k, cp := range cps[:9] {
		got, _, err := runFeed(t, c, sdelements.ListActivitiesParams{PageSize: 10, Checkpoint: cp}, 0)
		require.NoError(t, err)
		assert.Equal(t, append([]int64{newID}, all[10*(k+1):]...), got, "continuing from page %d", k+1)
	}
}

func TestFeedCheckpointValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(20)})
	// Another host: another fake reached as localhost (a loopback host's
	// port is not part of the list a checkpoint names).
	other, _ := newFake(t, []sdelementstest.Option{sdelementstest.WithActivities(20)})
	c2, err := sdelements.NewClient(sdelements.WithBaseURL(strings.Replace(other.URL, "127.0.0.1", "localhost", 1)),
		sdelements.WithToken(sdelementstest.Token))
	require.NoError(t, err)
	_, cp, err := runFeed(t, c, sdelements.ListActivitiesParams{}, 0)
	require.NoError(t, err)
	_, otherCP, err := runFeed(t, c2, sdelements.ListActivitiesParams{}, 0)
	require.NoError(t, err)
	corrupt := []byte(cp)
	corrupt[len(corrupt)-3] ^= 2
	srv.ResetRequests()
	for _, tc := range []struct {
		name, field, problem string
		p                    sdelements.ListActivitiesParams
	}{
		{"other instance", "Checkpoint", "another list", sdelements.ListActivitiesParams{Checkpoint: otherCP}},
		{"corrupt", "Checkpoint", "corrupt", sdelements.ListActivitiesParams{Checkpoint: string(corrupt)}},
		{"oversized", "Checkpoint", "more than the", sdelements.ListActivitiesParams{Checkpoint: "ck1." + strings.Repeat("x", 33<<10)}},
		{"not one", "Checkpoint", "is not a checkpoint", sdelements.ListActivitiesParams{Checkpoint: "42"}},
		{"with a page token", "Checkpoint", "cannot be combined with PageToken",
			sdelements.ListActivitiesParams{Checkpoint: cp, PageToken: srv.URL + "/api/v2/activities/?page=2"}},
		{"negative lookback", "Lookback", "must not be negative", sdelements.ListActivitiesParams{Lookback: -1}},
	} {
		_, _, err := runFeed(t, c, tc.p, 0)
		var ve *sdelements.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, ve.Error(), tc.problem, tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}
