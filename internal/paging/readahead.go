package paging

import (
	"context"
	"iter"
)

// pagesAhead is Pages with a producer goroutine that fetches up to
// p.readAhead pages ahead of the consumer. The producer holds at most one
// fetched page it cannot hand over and the channel buffers readAhead-1, so no
// more than readAhead pages are ever fetched beyond the one being handled.
func (p *Pager[T]) pagesAhead() iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) {
		type result struct {
			page *Page[T]
			err  error
		}
		ctx, cancel := context.WithCancel(p.ctx)
		ch := make(chan result, p.readAhead-1)
		// Sends block: the consumer always drains the channel when it stops,
		// so a send cannot hang, and a parent cancellation still reaches the
		// consumer as an error.
		go func() {
			defer close(ch)
			w := newWalk(p.start)
			fetch := p.fetcher()
			last := ""
			for {
				if ctx.Err() != nil {
					if p.ctx.Err() != nil {
						ch <- result{err: p.ctxError(fetch, w.token)}
					}
					return // the consumer stopped: not an error
				}
				page, err := fetch(ctx, w.token)
				if err != nil {
					if ctx.Err() != nil {
						continue // decided at the top of the loop
					}
					ch <- result{err: err}
					return
				}
				more := w.next(page.NextPageToken)
				if yieldable(page, more, last) {
					if page.Checkpoint != "" {
						last = page.Checkpoint
					}
					ch <- result{page: page}
				}
				if !more {
					return
				}
			}
		}()
		defer func() {
			cancel()
			for range ch { //nolint:revive // drain so the producer exits
			}
		}()
		for r := range ch {
			if r.err != nil {
				yield(nil, r.err)
				return
			}
			if !yield(r.page, nil) {
				return
			}
		}
	}
}
