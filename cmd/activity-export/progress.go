package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/activitysdk/activity-go/workiva"
)

// stats are the live counters of an export.
type stats struct {
	items, pages, retries atomic.Int64
	requests              atomic.Int64
	total                 atomic.Int64 // the list's item count; -1 when unknown
	waited                atomic.Int64 // nanoseconds spent waiting before retries
	start                 time.Time
}

// hook counts the SDK's events for the progress line: requests, retries
// and the time waited before them (server-asked or backoff), and
// client-side rate-limit waits. It is the same function for every provider
// package: their Event types are one type.
func (st *stats) hook(_ context.Context, e workiva.Event) {
	switch e.Kind {
	case workiva.EventRequest:
		st.requests.Add(1)
	case workiva.EventRetry:
		st.retries.Add(1)
		st.waited.Add(int64(e.Wait))
	case workiva.EventWait:
		st.waited.Add(int64(e.Wait))
	}
}

// isTerminal reports whether f is a terminal (not a file, a pipe or
// /dev/null, which is a character device but no terminal).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func (st *stats) line(name string) string {
	el := time.Since(st.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(st.items.Load()) / el
	}
	items := fmt.Sprintf("%d items", st.items.Load())
	if total := st.total.Load(); total >= 0 {
		pct := 100.0
		if total > 0 {
			pct = min(100, 100*float64(st.items.Load())/float64(total))
		}
		items = fmt.Sprintf("%d of %d items (%.0f%%)", st.items.Load(), total, pct)
	}
	return fmt.Sprintf("%s: %s, %d pages, %.0f items/s, %d requests, %d retries, %s waited",
		name, items, st.pages.Load(), rate, st.requests.Load(), st.retries.Load(),
		time.Duration(st.waited.Load()).Round(time.Millisecond))
}

// progress redraws one status line on w every interval until stop is called.
type progress struct {
	stop func()
}

func startProgress(w io.Writer, st *stats, name string, live bool) *progress {
	if !live {
		return &progress{stop: func() {}}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(w, "\r\033[K%s", st.line(name))
			}
		}
	}()
	var once sync.Once
	return &progress{stop: func() { once.Do(func() { close(done); wg.Wait() }) }}
}
