package paging

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingScript pages 0..total-1, one item each, and counts fetches.
func countingScript(total int) *script {
	s := &script{pages: map[string]*Page[int]{}}
	for i := 0; i < total; i++ {
		next := tok(i + 1)
		if i == total-1 {
			next = ""
		}
		s.pages[tok(i)] = pg(next, i)
	}
	return s
}

// TestReadAheadBoundAtEveryPage: while the caller handles page k, the
// producer gets as far as it may (k+1+n pages fetched, fewer at the end)
// and never further.
func TestReadAheadBoundAtEveryPage(t *testing.T) {
	t.Parallel()
	const total = 12
	for _, ahead := range []int{1, 3} {
		s := countingScript(total)
		k := 0
		for page, err := range New(context.Background(), "", s.fetch).WithReadAhead(ahead).Pages() {
			require.NoError(t, err)
			require.Equal(t, []int{k}, page.Items)
			want := min(k+1+ahead, total)
			require.Eventually(t, func() bool { return len(s.calls()) >= want }, 5*time.Second, time.Millisecond,
				"readAhead=%d page %d: the producer did not read ahead", ahead, k)
			time.Sleep(5 * time.Millisecond) // room to overshoot, if it could
			require.Equal(t, want, len(s.calls()), "readAhead=%d page %d", ahead, k)
			k++
		}
		assert.Equal(t, total, k)
	}
}

// TestNothingFetchedAfterBreak: once the range loop has returned, the
// producer has stopped; no fetch happens later.
func TestNothingFetchedAfterBreak(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{1, 2, 5} {
		s := countingScript(100)
		for it, err := range New(context.Background(), "", s.fetch).WithReadAhead(ahead).All() {
			require.NoError(t, err)
			if it == 3 {
				break
			}
		}
		n := len(s.calls())
		assert.LessOrEqual(t, n, 4+ahead, "readAhead=%d", ahead)
		time.Sleep(20 * time.Millisecond)
		assert.Equal(t, n, len(s.calls()), "readAhead=%d: fetched after the loop returned", ahead)
	}
}

// TestBreakCancelsFetchInFlight: a page being fetched ahead when the caller
// breaks has its context cancelled, and the loop returns without waiting
// for it to finish on its own.
func TestBreakCancelsFetchInFlight(t *testing.T) {
	t.Parallel()
	var cancelled atomic.Bool
	started := make(chan struct{})
	fetch := func(ctx context.Context, token string) (*Page[int], error) {
		if token == "" {
			return pg("a", 1), nil
		}
		close(started)
		<-ctx.Done() // a slow server: only cancellation ends it
		cancelled.Store(true)
		return nil, ctx.Err()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, err := range New(context.Background(), "", fetch).WithReadAhead(1).All() {
			assert.NoError(t, err)
			<-started // the next page is in flight
			break
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("breaking did not cancel the fetch in flight")
	}
	assert.True(t, cancelled.Load())
}

// TestReadAheadErrorYieldedOnceInOrder: with read-ahead, a failed page
// comes after every item before it, once, even if the caller keeps
// ranging; nothing after it is fetched.
func TestReadAheadErrorYieldedOnceInOrder(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	s := countingScript(10)
	s.errs = map[string]error{tok(4): boom}
	var items []int
	errs := 0
	for it, err := range New(context.Background(), "", s.fetch).WithReadAhead(3).All() {
		if err != nil {
			assert.ErrorIs(t, err, boom)
			errs++
			continue
		}
		assert.Zero(t, errs, "item %d after the error", it)
		items = append(items, it)
	}
	assert.Equal(t, []int{0, 1, 2, 3}, items)
	assert.Equal(t, 1, errs)
	assert.Equal(t, []string{"", "p1", "p2", "p3", "p4"}, s.calls())
}

// TestResumeFromTokenSavedUnderReadAhead: a NextPageToken saved during a
// walk with read-ahead resumes exactly after that page.
func TestResumeFromTokenSavedUnderReadAhead(t *testing.T) {
	t.Parallel()
	s := countingScript(20)
	var got []int
	saved := ""
	for page, err := range New(context.Background(), "", s.fetch).WithReadAhead(4).Pages() {
		require.NoError(t, err)
		got = append(got, page.Items...)
		if len(got) == 7 {
			saved = page.NextPageToken
			break
		}
	}
	require.Equal(t, tok(7), saved)
	rest, err := New(context.Background(), saved, s.fetch).WithReadAhead(4).Collect()
	require.NoError(t, err)
	got = append(got, rest...)
	want := make([]int, 20)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, got)
}
