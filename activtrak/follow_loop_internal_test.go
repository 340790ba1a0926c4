package activtrak

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loopServer answers the activity log with pages of two records built by
// page(n) for the n-th request (from 1), and counts the requests and the
// cursors asked for.
type loopServer struct {
	mu      sync.Mutex
	cursors []string
	page    func(n int) (ids []int64, cursor string)
}

func (s *loopServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.cursors = append(s.cursors, r.URL.Query().Get("cursor"))
	n := len(s.cursors)
	s.mu.Unlock()
	ids, cursor := s.page(n)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"activity":[{"logId":%d},{"logId":%d}],"cursor":%q}`, ids[0], ids[1], cursor)
}

func (s *loopServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cursors)
}

// followLoop follows srv with pages of 2 and an interval of an hour on an
// injected clock: every wait is recorded with the request count at that
// moment and ends the follow. The server stops the follow (cancels) after
// 50 requests, which only a spinning follow reaches.
func followLoop(t *testing.T, srv *loopServer) (yielded []int64, waitsAt []int, err error) {
	t.Helper()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c, nerr := NewClient(WithBaseURL(hs.URL), WithAPIKey("follow-loop-key"), WithRetryPolicy(NoRetries))
	require.NoError(t, nerr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c.wait = func(ctx context.Context, d time.Duration) bool {
		assert.Equal(t, time.Hour, d)
		waitsAt = append(waitsAt, srv.requests())
		return false // the test is over once the follow waits
	}
	spin := srv.page
	srv.page = func(n int) ([]int64, string) {
		if n >= 50 {
			cancel()
		}
		return spin(n)
	}
	for p, perr := range c.FollowActivityLog(ctx, &ActivityLogParams{PageSize: 2}, time.Hour) {
		if perr != nil {
			err = perr
			break
		}
		for _, e := range p.Items {
			yielded = append(yielded, e.LogID)
		}
	}
	return yielded, waitsAt, err
}

// Issue 14: a full page of records already yielded, under a new cursor each
// time, made the follow ask again at once, forever (19,944 requests in a
// second). It now waits the interval.
func TestFollowFullPageWithNothingNewWaits(t *testing.T) {
	t.Parallel()
	srv := &loopServer{page: func(n int) ([]int64, string) {
		return []int64{1, 2}, fmt.Sprintf("c%d", n)
	}}
	got, waits, err := followLoop(t, srv)
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, got)
	assert.Equal(t, []int{2}, waits, "the second (all-duplicate) page is followed by the interval's wait")
	assert.Equal(t, 2, srv.requests())
	assert.Equal(t, []string{"", "c1"}, srv.cursors)
}

// Issue 14: a cursor that returns to an earlier value is a loop: the follow
// ends with ErrCursorLoop instead of walking the circle.
func TestFollowCursorLoopEndsWithTypedError(t *testing.T) {
	t.Parallel()
	// Cursors a, b, a, b, ... with new records on every page.
	srv := &loopServer{page: func(n int) ([]int64, string) {
		return []int64{int64(2*n - 1), int64(2 * n)}, []string{"a", "b"}[(n-1)%2]
	}}
	got, waits, err := followLoop(t, srv)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrCursorLoop), "%v", err)
	// The page carrying the looping cursor is not yielded: its records come
	// again from the last checkpoint (b) on a resume.
	assert.Equal(t, []int64{1, 2, 3, 4}, got, "the pages before the loop are yielded once")
	assert.Empty(t, waits)
	assert.Equal(t, 3, srv.requests(), "the third answer's cursor a was seen before")
	assert.Equal(t, []string{"", "a", "b"}, srv.cursors)
}

// A cursor that stays put at the tail is the normal end of the log, not a
// loop: the follow waits and asks again from it.
func TestFollowSameCursorAtTheTailWaits(t *testing.T) {
	t.Parallel()
	srv := &loopServer{page: func(n int) ([]int64, string) {
		return []int64{1, 2}, "tail"
	}}
	got, waits, err := followLoop(t, srv)
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, got)
	assert.Equal(t, []int{2}, waits)
}

func TestCursorWindow(t *testing.T) {
	w := newCursorWindow(2)
	assert.True(t, w.add(""))
	assert.True(t, w.add(""), "the empty cursor is never remembered")
	assert.True(t, w.add("a"))
	assert.False(t, w.add("a"))
	assert.True(t, w.add("b"))
	assert.True(t, w.add("c")) // forgets a
	assert.True(t, w.add("a"))
	assert.False(t, w.add("c"))
}
