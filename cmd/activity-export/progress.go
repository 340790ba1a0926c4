package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// stats are the live counters of an export.
type stats struct {
	items, pages, retries atomic.Int64
	total                 atomic.Int64 // the list's item count; -1 when unknown
	waited                atomic.Int64 // nanoseconds spent waiting before retries
	start                 time.Time
}

// countingHandler counts the SDK's retry events (Info) and passes every
// record that next wants on to it. (The export sets no client-side rate
// limit, so there are no rate-limit waits to count.)
type countingHandler struct {
	st   *stats
	next slog.Handler
}

func (h countingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelInfo || h.next.Enabled(ctx, l)
}

func (h countingHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "activity-go: retry" {
		h.st.retries.Add(1)
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "wait" {
				h.st.waited.Add(int64(a.Value.Duration()))
				return false
			}
			return true
		})
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h countingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return countingHandler{st: h.st, next: h.next.WithAttrs(as)}
}

func (h countingHandler) WithGroup(name string) slog.Handler {
	return countingHandler{st: h.st, next: h.next.WithGroup(name)}
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

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
	return fmt.Sprintf("%s: %s, %d pages, %.0f items/s, %d retries, %s waited",
		name, items, st.pages.Load(), rate, st.retries.Load(),
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
