package activtrak_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func TestFollowPicksUpAppendedRecordsAndStopsOnCancel(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(1))
	c := newClient(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()

	var got []int64
	var sizes []int
	var checkpoints []string
	appended := false
	for p, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), PageSize: 10}, 5*time.Millisecond) {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		sizes = append(sizes, len(p.Items))
		checkpoints = append(checkpoints, p.NextPageToken)
		if len(got) == 24 && !appended {
			appended = true
			dup, _ := srv.Record(4) // LogID 5 again: must not be yielded twice
			late, _ := srv.Record(0)
			late.LogID, late.DateText = 0, ""
			srv.Append(dup, late, late)
		}
		if len(got) >= 26 {
			cancel()
		}
	}
	assert.Equal(t, append(idRange(1, 24), 26, 27), got)
	assert.Equal(t, []int{10, 10, 4, 2}, sizes)
	for _, cp := range checkpoints {
		assert.NotEmpty(t, cp)
	}

	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), 4)
	assert.Empty(t, reqs[0].Query.Get("cursor"))
	assert.Equal(t, checkpoints[0], reqs[1].Query.Get("cursor"), "a full page is followed at once")
	assert.Equal(t, checkpoints[1], reqs[2].Query.Get("cursor"))
	// Every poll after the short page asks from the last checkpoint.
	for _, r := range reqs[3:] {
		c := r.Query.Get("cursor")
		assert.True(t, c == checkpoints[2] || c == checkpoints[3], "cursor %q", c)
	}

	// The last checkpoint resumes with nothing new.
	items, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{PageToken: checkpoints[3]}).Collect()
	require.NoError(t, err)
	assert.Empty(t, items)
}

func TestFollowFromEmptyStartThenLateRecord(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(1))
	c := newClient(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	// Nothing on 1 July: the first answer is empty, and its cursor is where
	// later records will come from.
	go func() {
		for srv.RequestCount() < 3 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		late, _ := srv.Record(3)
		late.LogID = 0
		srv.Append(late)
	}()
	var got []int64
	for p, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 7, 1)}, 2*time.Millisecond) {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		cancel()
	}
	assert.Equal(t, []int64{25}, got)
	reqs := srv.Requests()
	assert.Empty(t, reqs[0].Query.Get("cursor"))
	assert.NotEmpty(t, reqs[1].Query.Get("cursor"))
	assert.Equal(t, reqs[1].Query.Get("cursor"), reqs[2].Query.Get("cursor"), "an empty answer returns the same cursor")
}

func TestFollowFullPagesAreFetchedAtOnce(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var got []int64
	start := time.Now()
	// An hour between polls, yet 168 records in pages of 50 arrive at once.
	for p, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), PageSize: 50}, time.Hour) {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		if len(got) == 168 {
			// The follow now waits its hour; cancelling ends it promptly.
			time.AfterFunc(20*time.Millisecond, cancel)
		}
	}
	assert.Equal(t, idRange(1, 168), got)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Len(t, srv.Requests(), 4, "no request after the short page while waiting")
}

func TestFollowBreakStopsRequests(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	for p, err := range c.FollowActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), PageSize: 10}, time.Millisecond) {
		require.NoError(t, err)
		assert.Equal(t, idRange(1, 10), logIDs(p.Items))
		break
	}
	assert.Len(t, srv.Requests(), 1)
}

func TestFollowResumesFromCheckpoint(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	var cp string
	for p, err := range c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), EndDate: day(2024, 6, 3)}).Pages() {
		require.NoError(t, err)
		cp = p.NextPageToken
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var got []int64
	for p, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{PageToken: cp, PageSize: 24}, time.Millisecond) {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		if len(got) == 48 {
			break
		}
	}
	assert.Equal(t, idRange(25, 72), got)
	assert.Equal(t, cp, srv.Requests()[2].Query.Get("cursor"))
}

func TestFollowErrorIsYieldedOnceAndEnds(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	srv.FailNext(activtraktest.Fault500, activtraktest.Fault500, activtraktest.Fault500, activtraktest.Fault500)
	n := 0
	for p, err := range c.FollowActivityLog(testCtx(t), nil, time.Millisecond) {
		n++
		assert.Nil(t, p)
		var ae *activtrak.APIError
		require.True(t, errors.As(err, &ae), "got %v", err)
		assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
		assert.Equal(t, 4, ae.Attempts)
	}
	assert.Equal(t, 1, n)
	assert.Len(t, srv.Requests(), 4)
}

func TestFollowRidesOutTransientFaults(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(1))
	c := newClient(t, srv)
	srv.FailNext(activtraktest.AllFaults(time.Millisecond, time.Millisecond)[:3]...)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var got []int64
	for p, err := range c.FollowActivityLog(ctx, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3)}, time.Millisecond) {
		require.NoError(t, err)
		got = append(got, logIDs(p.Items)...)
		cancel()
	}
	assert.Equal(t, idRange(1, 24), got)
}

func TestFollowCancelDuringRequestEndsWithoutError(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	srv.FailNext(activtraktest.Fault{Kind: activtraktest.Slow, Delay: time.Minute})
	ctx, cancel := context.WithCancel(testCtx(t))
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	for p, err := range c.FollowActivityLog(ctx, nil, time.Second) {
		t.Fatalf("unexpected yield %v %v", p, err)
	}
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}

func TestFollowIntervalMustBePositive(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	for _, iv := range []time.Duration{0, -time.Second} {
		n := 0
		for p, err := range c.FollowActivityLog(testCtx(t), nil, iv) {
			n++
			assert.Nil(t, p)
			var ve *activtrak.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, "FollowActivityLog", ve.Params)
			assert.Equal(t, "interval", ve.Field)
			assert.Contains(t, err.Error(), "activtrak: FollowActivityLog.interval: must be positive (got "+iv.String()+")")
		}
		assert.Equal(t, 1, n)
	}
	assert.Zero(t, srv.RequestCount())
}

// One follow sequence ranged from two goroutines at once, with a nil context:
// each range is independent (no shared state, so no race) and stops at break.
func TestFollowSequenceRangedConcurrently(t *testing.T) {
	t.Parallel()
	srv := newFake(t, activtraktest.WithDays(1))
	c := newClient(t, srv)
	//lint:ignore SA1012 a nil context must behave as context.Background
	seq := c.FollowActivityLog(nil, &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3), PageSize: 10}, time.Millisecond)
	var wg sync.WaitGroup
	got := make([][]int64, 2)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p, err := range seq {
				if err != nil {
					t.Error(err)
					return
				}
				got[i] = logIDs(p.Items)
				break
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, idRange(1, 10), got[0])
	assert.Equal(t, idRange(1, 10), got[1])
}
