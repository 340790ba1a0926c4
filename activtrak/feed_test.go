package activtrak_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

var faultyRetries = activtrak.WithRetryPolicy(activtrak.RetryPolicy{MaxRetries: 8, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})

func countFaults(srv *activtraktest.Server) (requests, faults int) {
	for _, r := range srv.Requests() {
		requests++
		if r.Fault != nil {
			faults++
		}
	}
	srv.ResetRequests()
	return
}

// TestActivityLogFeedExactlyOnce: five nightly runs over the activity log,
// records appended between runs (some dated days earlier), 30% faults, one
// run killed after two pages: every LogID exactly once.
func TestActivityLogFeedExactlyOnce(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(5), activtraktest.WithRecordsPerDay(40))
	c := newClient(t, srv, faultyRetries)
	srv.FailRandomly(0.3, 15, activtraktest.AllFaults(time.Millisecond, time.Millisecond)...)
	ctx := testCtx(t)
	seen := map[int64]int{}
	checkpoint := ""
	requests, faults := 0, 0
	for run := 1; run <= 6; run++ {
		pages := 0
		p := &activtrak.ActivityLogParams{StartDate: srv.StartDate(), PageSize: 25, Checkpoint: checkpoint}
		for page, err := range c.ListActivityLog(ctx, p).Pages() {
			require.NoError(t, err, "run %d", run)
			require.NotEmpty(t, page.Checkpoint)
			for _, e := range page.Items {
				seen[e.LogID]++
			}
			checkpoint = page.Checkpoint
			if pages++; run == 2 && pages == 2 {
				break // killed
			}
		}
		r, f := countFaults(srv)
		requests, faults = requests+r, faults+f
		if run == 6 {
			break
		}
		var recs []activtraktest.LogRecord
		for k := 0; k < 12; k++ {
			// Some dated today, some two days earlier (late arrivals).
			d := srv.EndDate().Add(time.Duration(10+k) * time.Hour)
			if k%3 == 0 {
				d = d.AddDate(0, 0, -2)
			}
			recs = append(recs, activtraktest.LogRecord{Date: d, UserID: 1001, User: "user01"})
		}
		srv.Append(recs...)
	}
	assert.Equal(t, 5*40+5*12, srv.LogLen())
	for seq := 0; seq < srv.LogLen(); seq++ {
		rec, _ := srv.Record(seq)
		assert.Equal(t, 1, seen[rec.LogID], "record %d", seq)
	}
	assert.Len(t, seen, srv.LogLen())
	assert.Positive(t, faults)
	t.Logf("%d records, each delivered once over 6 runs; %d requests, %d faults injected", len(seen), requests, faults)
}

// TestFollowContinuesListCheckpoint: a follow continues a list walk's
// checkpoint and the other way round.
func TestFollowContinuesListCheckpoint(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(10))
	c := newClient(t, srv)
	ctx := testCtx(t)
	var cp string
	n := 0
	for page, err := range c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: srv.StartDate()}).Pages() {
		require.NoError(t, err)
		n += len(page.Items)
		cp = page.Checkpoint
	}
	assert.Equal(t, 20, n)
	added := srv.Append(activtraktest.LogRecord{Date: srv.StartDate(), UserID: 1002, User: "user02"})
	for page, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{Checkpoint: cp}, time.Millisecond) {
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, added[0].LogID, page.Items[0].LogID)
		require.NotEmpty(t, page.Checkpoint)
		cp = page.Checkpoint
		break
	}
	items, err := c.ListActivityLog(ctx, &activtrak.ActivityLogParams{Checkpoint: cp}).Collect()
	require.NoError(t, err)
	assert.Empty(t, items)
}

// TestWorkingHoursFeedExactlyOnce: working hours as a day-window feed over
// five nights (the clock moves a day each night), rows appended between runs
// to days not yet final, 30% faults, one run killed after one page: every
// row once, with the days final when delivered.
func TestWorkingHoursFeedExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, users := range []bool{true, false} {
		srv := newFake(t, activtraktest.WithDays(10), activtraktest.WithUsers(4))
		c := newClient(t, srv, faultyRetries)
		now := srv.StartDate().AddDate(0, 0, 3).Add(2 * time.Hour) // days 0 and 1 final (24h lookback)
		activtrak.SetClock(c, func() time.Time { return now })
		srv.FailRandomly(0.3, 16, activtraktest.AllFaults(time.Millisecond, time.Millisecond)...)
		ctx := testCtx(t)
		list := c.ListUserWorkingHours
		if !users {
			list = c.ListComputerWorkingHours
		}
		type key struct {
			day string
			who string
		}
		seen := map[key]int{}
		checkpoint := ""
		requests, faults := 0, 0
		for run := 1; run <= 6; run++ {
			pages := 0
			p := &activtrak.WorkingHoursParams{From: srv.StartDate(), To: srv.EndDate(), PageSize: 3, Checkpoint: checkpoint}
			for page, err := range list(ctx, p).Pages() {
				require.NoError(t, err, "run %d", run)
				require.NotEmpty(t, page.Checkpoint)
				for _, w := range page.Items {
					final := w.Date.AddDate(0, 0, 1).Add(24 * time.Hour)
					assert.False(t, now.Before(final), "row of %s delivered before it was final", w.Date)
					seen[key{w.Date.Format("2006-01-02"), string(append(w.Users, w.Computers...)[0])}]++
				}
				checkpoint = page.Checkpoint
				if pages++; run == 3 && pages == 1 {
					break // killed
				}
			}
			r, f := countFaults(srv)
			requests, faults = requests+r, faults+f
			// Night: a late row for yesterday (not final yet), a day passes.
			srv.AppendWorkingHours(now.AddDate(0, 0, -1), 1)
			now = now.AddDate(0, 0, 1)
		}
		// Run k sees days up to k final; by run 6, days 0..6: 7 days of 4
		// users, plus the late rows appended after runs 1..5 (to days 2..6,
		// each not final when appended). The one appended after run 6 is
		// for day 7, read by the next night.
		want := 7*4 + 5
		assert.Len(t, seen, want, "users=%v", users)
		for k, n := range seen {
			assert.Equal(t, 1, n, "%v", k)
		}
		assert.Positive(t, faults)
		t.Logf("users=%v: %d rows, each delivered once over 6 runs; %d requests, %d faults injected", users, len(seen), requests, faults)
	}
}

func TestFeedCheckpointValidation(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(3))
	// Another host: the same fake reached as localhost (a loopback host's
	// port is not part of a checkpoint's list).
	c, c2 := newClient(t, srv), newClient(t, srv, activtrak.WithBaseURL(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)))
	ctx := testCtx(t)
	var logCP, whCP, otherCP string
	for page, err := range c.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: srv.StartDate()}).Pages() {
		require.NoError(t, err)
		logCP = page.Checkpoint
	}
	for page, err := range c2.ListActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: srv.StartDate()}).Pages() {
		require.NoError(t, err)
		otherCP = page.Checkpoint
	}
	for page, err := range c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: srv.StartDate(), To: srv.EndDate()}).Pages() {
		require.NoError(t, err)
		whCP = page.Checkpoint
	}
	require.NotEmpty(t, logCP)
	require.NotEmpty(t, whCP)
	srv.ResetRequests()
	wh := func(p activtrak.WorkingHoursParams) error {
		p.From, p.To = srv.StartDate(), srv.EndDate()
		_, err := c.ListComputerWorkingHours(ctx, &p).Collect()
		return err
	}
	al := func(p activtrak.ActivityLogParams) error {
		_, err := c.ListActivityLog(ctx, &p).Collect()
		return err
	}
	follow := func(p activtrak.ActivityLogParams) error {
		for _, err := range c.FollowActivityLog(ctx, &p, time.Second) {
			return err
		}
		return nil
	}
	for _, tc := range []struct {
		name, field, problem string
		err                  error
	}{
		{"user hours checkpoint to computers", "Checkpoint", "is a checkpoint of activtrak.ListUserWorkingHours", wh(activtrak.WorkingHoursParams{Checkpoint: whCP})},
		{"log checkpoint to hours", "Checkpoint", "is a checkpoint of activtrak.ActivityLog", wh(activtrak.WorkingHoursParams{Checkpoint: logCP})},
		{"hours with page token", "Checkpoint", "cannot be combined", wh(activtrak.WorkingHoursParams{Checkpoint: whCP, PageToken: "2"})},
		{"hours negative lookback", "Lookback", "must not be negative", wh(activtrak.WorkingHoursParams{Lookback: -time.Hour})},
		{"other host", "Checkpoint", "another list", al(activtrak.ActivityLogParams{Checkpoint: otherCP})},
		{"corrupt", "Checkpoint", "corrupt", al(activtrak.ActivityLogParams{Checkpoint: logCP[:len(logCP)-2]})},
		{"oversized", "Checkpoint", "more than", al(activtrak.ActivityLogParams{Checkpoint: strings.Repeat("c", 40<<10)})},
		{"log with page token", "Checkpoint", "cannot be combined", al(activtrak.ActivityLogParams{Checkpoint: logCP, PageToken: "x"})},
		{"follow corrupt", "Checkpoint", "is not a checkpoint", follow(activtrak.ActivityLogParams{Checkpoint: "nope"})},
	} {
		var ve *activtrak.ValidationError
		require.ErrorAs(t, tc.err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, ve.Error(), tc.problem, tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}
