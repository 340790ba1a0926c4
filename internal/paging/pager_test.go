package paging

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// script is a fake API: pages by token.
type script struct {
	mu      sync.Mutex
	pages   map[string]*Page[int]
	errs    map[string]error
	fetched []string
}

func (s *script) fetch(ctx context.Context, token string) (*Page[int], error) {
	s.mu.Lock()
	s.fetched = append(s.fetched, token)
	p, e := s.pages[token], s.errs[token]
	s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e != nil {
		return nil, e
	}
	if p == nil {
		return nil, fmt.Errorf("no page %q", token)
	}
	cp := *p
	return &cp, nil
}

func (s *script) calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.fetched...)
}

func pg(next string, items ...int) *Page[int] { return &Page[int]{Items: items, NextPageToken: next} }

func collect(t *testing.T, p *Pager[int]) ([]int, error) {
	t.Helper()
	var out []int
	for it, err := range p.All() {
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}

func TestPagerGuards(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	cases := []struct {
		name    string
		pages   map[string]*Page[int]
		errs    map[string]error
		start   string
		want    []int
		fetched []string
		err     error
	}{
		{"single page", map[string]*Page[int]{"": pg("", 1, 2)}, nil, "", []int{1, 2}, []string{""}, nil},
		{"three pages", map[string]*Page[int]{"": pg("a", 1), "a": pg("b", 2), "b": pg("", 3)}, nil, "", []int{1, 2, 3}, []string{"", "a", "b"}, nil},
		{"empty first page", map[string]*Page[int]{"": pg("")}, nil, "", nil, []string{""}, nil},
		{"empty page with next token is followed", map[string]*Page[int]{"": pg("a", 1), "a": pg("b"), "b": pg("", 2)}, nil, "", []int{1, 2}, []string{"", "a", "b"}, nil},
		{"repeated token ends walk", map[string]*Page[int]{"": pg("a", 1), "a": pg("a", 2)}, nil, "", []int{1, 2}, []string{"", "a"}, nil},
		{"cycle ends walk", map[string]*Page[int]{"": pg("a", 1), "a": pg("b", 2), "b": pg("a", 3)}, nil, "", []int{1, 2, 3}, []string{"", "a", "b"}, nil},
		{"cycle back to the start token ends walk", map[string]*Page[int]{"s": pg("a", 1), "a": pg("s", 2)}, nil, "s", []int{1, 2}, []string{"s", "a"}, nil},
		{"resume from saved token", map[string]*Page[int]{"": pg("a", 1), "a": pg("b", 2), "b": pg("", 3)}, nil, "a", []int{2, 3}, []string{"a", "b"}, nil},
		{"error on first page", nil, map[string]error{"": boom}, "", nil, []string{""}, boom},
		{"error mid walk yields items before it", map[string]*Page[int]{"": pg("a", 1, 2)}, map[string]error{"a": boom}, "", []int{1, 2}, []string{"", "a"}, boom},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, ahead := range []int{0, 1, 3} {
				s := &script{pages: c.pages, errs: c.errs}
				got, err := collect(t, New(context.Background(), c.start, s.fetch).WithReadAhead(ahead))
				assert.Equal(t, c.want, got, "readAhead=%d", ahead)
				assert.Equal(t, c.fetched, s.calls(), "readAhead=%d", ahead)
				if c.err != nil {
					assert.ErrorIs(t, err, c.err)
				} else {
					assert.NoError(t, err)
				}
			}
		})
	}
}

func TestFailedPageYieldsErrorOnce(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	s := &script{pages: map[string]*Page[int]{"": pg("a", 1)}, errs: map[string]error{"a": boom}}
	n := 0
	for page, err := range New(context.Background(), "", s.fetch).Pages() {
		if err != nil {
			n++
			assert.Nil(t, page)
			assert.ErrorIs(t, err, boom)
			continue // keep ranging: the pager must stop by itself
		}
	}
	assert.Equal(t, 1, n)
}

func TestErrPager(t *testing.T) {
	t.Parallel()
	bad := errors.New("bad params")
	var zero int
	calls := 0
	for it, err := range Err[int](bad).All() {
		calls++
		assert.Equal(t, zero, it)
		assert.ErrorIs(t, err, bad)
	}
	assert.Equal(t, 1, calls)
	items, err := Err[int](bad).WithReadAhead(2).Collect()
	assert.Empty(t, items)
	assert.ErrorIs(t, err, bad)
}

func TestBreakStopsFetching(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{0, 1, 2} {
		s := &script{pages: map[string]*Page[int]{}}
		for i := 0; i < 50; i++ {
			s.pages[tok(i)] = pg(tok(i+1), i)
		}
		p := New(context.Background(), "", s.fetch).WithReadAhead(ahead)
		for it, err := range p.All() {
			require.NoError(t, err)
			if it == 2 {
				break
			}
		}
		// Without read-ahead exactly three pages; with it at most `ahead` more.
		got := len(s.calls())
		assert.GreaterOrEqual(t, got, 3)
		assert.LessOrEqual(t, got, 3+ahead, "readAhead=%d fetched %d", ahead, got)
	}
}

func tok(i int) string {
	if i == 0 {
		return ""
	}
	return "p" + strconv.Itoa(i)
}

// TestReadAheadBound: a consumer that never proceeds past page 0 lets the
// producer run exactly readAhead pages ahead, no more.
func TestReadAheadBound(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{1, 2, 4} {
		s := &script{pages: map[string]*Page[int]{}}
		for i := 0; i < 20; i++ {
			s.pages[tok(i)] = pg(tok(i+1), i)
		}
		p := New(context.Background(), "", s.fetch).WithReadAhead(ahead)
		assert.Equal(t, ahead, p.ReadAheadPages())
		for page, err := range p.Pages() {
			require.NoError(t, err)
			require.Equal(t, []int{0}, page.Items)
			time.Sleep(50 * time.Millisecond) // let the producer run as far as it may
			assert.Equal(t, 1+ahead, len(s.calls()), "readAhead=%d", ahead)
			break
		}
	}
}

func TestReadAheadKeepsOrderAndTokens(t *testing.T) {
	t.Parallel()
	s := &script{pages: map[string]*Page[int]{}}
	const n = 200
	for i := 0; i < n; i++ {
		next := tok(i + 1)
		if i == n-1 {
			next = ""
		}
		s.pages[tok(i)] = pg(next, 2*i, 2*i+1)
	}
	var plain, ahead []string
	for page, err := range New(context.Background(), "", s.fetch).Pages() {
		require.NoError(t, err)
		plain = append(plain, fmt.Sprint(page.Items, page.NextPageToken))
	}
	items, err := New(context.Background(), "", s.fetch).WithReadAhead(3).Collect()
	require.NoError(t, err)
	for page, err := range New(context.Background(), "", s.fetch).WithReadAhead(3).Pages() {
		require.NoError(t, err)
		ahead = append(ahead, fmt.Sprint(page.Items, page.NextPageToken))
	}
	assert.Equal(t, plain, ahead)
	require.Len(t, items, 2*n)
	for i, v := range items {
		require.Equal(t, i, v)
	}
}

func TestContextCancelStopsWalk(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{0, 2} {
		var fetches atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		fetch := func(ctx context.Context, token string) (*Page[int], error) {
			n := fetches.Add(1)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return pg("t"+strconv.Itoa(int(n)), int(n)), nil
		}
		var gotErr error
		count := 0
		for _, err := range New(ctx, "", fetch).WithReadAhead(ahead).All() {
			if err != nil {
				gotErr = err
				break
			}
			count++
			if count == 5 {
				cancel()
			}
		}
		assert.ErrorIs(t, gotErr, context.Canceled, "readAhead=%d", ahead)
		assert.LessOrEqual(t, count, 5+ahead)
	}
}

func TestWithReadAheadCopies(t *testing.T) {
	t.Parallel()
	var nilCtx context.Context // a nil context means Background
	p := New[int](nilCtx, "", func(context.Context, string) (*Page[int], error) { return pg(""), nil })
	q := p.WithReadAhead(-3)
	assert.Equal(t, 0, q.ReadAheadPages())
	r := p.WithReadAhead(2)
	assert.Equal(t, 0, p.ReadAheadPages(), "original unchanged")
	assert.Equal(t, 2, r.ReadAheadPages())
}

func TestStrategies(t *testing.T) {
	t.Parallel()
	n, err := PageNumber("")
	assert.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = PageNumber("7")
	assert.NoError(t, err)
	assert.Equal(t, 7, n)
	for _, bad := range []string{"0", "-2", "x", "1.5"} {
		_, err := PageNumber(bad)
		assert.ErrorIs(t, err, ErrPageToken, bad)
	}
	cases := []struct {
		page, got, size, total int
		want                   string
	}{
		{1, 10, 10, 35, "2"},
		{3, 10, 10, 35, "4"},
		{4, 5, 10, 35, ""},   // short page
		{3, 10, 10, 30, ""},  // total reached
		{1, 0, 10, 30, ""},   // empty page
		{1, 10, 10, -1, "2"}, // no total: full page goes on
		{2, 9, 10, -1, ""},   // no total: short page ends
	}
	for _, c := range cases {
		assert.Equal(t, c.want, NextPageNumber(c.page, c.got, c.size, c.total), "%+v", c)
	}
	assert.Equal(t, "", NextCursor(0, "c1"))
	assert.Equal(t, "c2", NextCursor(3, "c2"))
}

// TestContextErrorComesFromTheFetch: a walk whose context is done, before it
// starts or between pages, ends with the fetch's own error for it when that
// error matches the context (a provider's *RequestError naming the request),
// else with the context's error.
func TestContextErrorComesFromTheFetch(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{0, 2} {
		for _, early := range []bool{true, false} {
			ctx, cancel := context.WithCancel(context.Background())
			if early {
				cancel()
			}
			var fetches atomic.Int32
			fetch := func(ctx context.Context, token string) (*Page[int], error) {
				n := fetches.Add(1)
				if err := ctx.Err(); err != nil {
					return nil, &pagingRequestError{fmt.Errorf("GET /page/%s: %w", token, err)}
				}
				return pg("t"+strconv.Itoa(int(n)), int(n)), nil
			}
			var gotErr error
			count := 0
			for _, err := range New(ctx, "", fetch).WithReadAhead(ahead).All() {
				if err != nil {
					gotErr = err
					break
				}
				count++
				cancel()
			}
			assert.ErrorIs(t, gotErr, context.Canceled, "readAhead=%d early=%v", ahead, early)
			assert.ErrorAs(t, gotErr, new(*pagingRequestError), "readAhead=%d early=%v: %v", ahead, early, gotErr)
			if early {
				assert.Zero(t, count)
			}
			cancel()
		}
	}
	// A fetch that answers whatever its context: the context's own error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(ctx, "", func(context.Context, string) (*Page[int], error) { return pg("", 1), nil }).Collect()
	assert.Equal(t, context.Canceled, err)
}

// pagingRequestError stands for a provider's *RequestError.
type pagingRequestError struct{ err error }

func (e *pagingRequestError) Error() string { return e.err.Error() }
func (e *pagingRequestError) Unwrap() error { return e.err }

func TestCheckpointScopeDropsLoopbackPort(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:4321":        "127.0.0.1/x",
		"http://[::1]:99":              "::1/x",
		"http://localhost:8080":        "localhost/x",
		"https://api.example.com:8443": "api.example.com:8443/x",
		"https://api.example.com":      "api.example.com/x",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Scope(u, "/x"); got != want {
			t.Errorf("Scope(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestCheckpointRoundTripAndCorruption(t *testing.T) {
	c := &Checkpoint{Op: "op", Scope: "h/p", Low: 1_700_000_000_000_000_000, Floor: 42, Upper: 5, Max: 7, Cursor: "cur", Day: "2026-01-02",
		IDs: []Entry{{T: 1_700_000_000_000_000_001, ID: 9}, {T: 1_700_000_000_000_000_000, ID: 1 << 63}}}
	text := c.Encode()
	got, err := DecodeCheckpoint(text, "op", "h/p")
	if err != nil {
		t.Fatal(err)
	}
	if got.Low != c.Low || got.Floor != 42 || got.Upper != 5 || got.Max != 7 || got.Cursor != "cur" || got.Day != "2026-01-02" || len(got.IDs) != 2 ||
		got.IDs[0] != (Entry{T: 1_700_000_000_000_000_000, ID: 1 << 63}) || got.IDs[1] != (Entry{T: 1_700_000_000_000_000_001, ID: 9}) {
		t.Fatalf("round trip: %+v", got)
	}
	for i := len(checkpointPrefix); i < len(text); i++ {
		b := []byte(text)
		b[i] ^= 0x01
		if _, err := DecodeCheckpoint(string(b), "op", "h/p"); err == nil {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
	if _, err := DecodeCheckpoint(text, "other", "h/p"); err == nil || !strings.Contains(err.Error(), "is a checkpoint of op") {
		t.Fatalf("other op: %v", err)
	}
	if _, err := DecodeCheckpoint(text, "op", "h/q"); err == nil || !strings.Contains(err.Error(), "another list") {
		t.Fatalf("other scope: %v", err)
	}
}

func TestWindowAdvanceBoundsIDs(t *testing.T) {
	w := NewWindow(nil)
	base := time.Unix(1000, 0)
	for i := 0; i < 3*MaxCheckpointIDs; i++ {
		w.Add(base.Add(time.Duration(i)*time.Second), uint64(i))
	}
	w.Advance(24 * time.Hour)
	if w.Len() != MaxCheckpointIDs {
		t.Fatalf("%d ids kept, want %d", w.Len(), MaxCheckpointIDs)
	}
	// Low moves just past the newest instant forgotten.
	oldestKept := base.Add(time.Duration(2*MaxCheckpointIDs-1)*time.Second).UnixNano() + 1
	if w.Low != oldestKept || w.Covers(uint64(2*MaxCheckpointIDs-1)) || !w.Covers(uint64(2*MaxCheckpointIDs)) {
		t.Fatalf("low %d, want %d", w.Low, oldestKept)
	}
	if n := len((&Checkpoint{Op: "o", Scope: "s", Low: w.Low, IDs: w.Entries()}).Encode()); n > MaxCheckpointLen {
		t.Fatalf("a full window encodes to %d bytes", n)
	}
	w.Advance(time.Minute)
	if w.Len() != 61 {
		t.Fatalf("a one-minute lookback keeps %d ids, want 61", w.Len())
	}
}

// TestFeedWalkWithDoneContext: a feed pager (per-walk fetch, no plain fetch)
// whose context is done ends with its own fetch's error, with or without
// read-ahead, and never dereferences the absent plain fetch.
func TestFeedWalkWithDoneContext(t *testing.T) {
	t.Parallel()
	for _, ahead := range []int{0, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		newFetch := func() Fetch[int] {
			return func(ctx context.Context, token string) (*Page[int], error) {
				if err := ctx.Err(); err != nil {
					return nil, &pagingRequestError{fmt.Errorf("GET /feed/%s: %w", token, err)}
				}
				return pg("", 1), nil
			}
		}
		items, err := NewFeed(ctx, "", newFetch).WithReadAhead(ahead).Collect()
		assert.Empty(t, items, "readAhead=%d", ahead)
		assert.ErrorIs(t, err, context.Canceled, "readAhead=%d", ahead)
		assert.ErrorAs(t, err, new(*pagingRequestError), "readAhead=%d: %v", ahead, err)
	}
}
