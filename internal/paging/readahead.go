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
		send := func(r result) bool {
			select {
			case ch <- r:
				return true
			case <-ctx.Done():
				return false
			}
		}
		go func() {
			defer close(ch)
			w := newWalk(p.start)
			for {
				if ctx.Err() != nil {
					if err := p.ctx.Err(); err != nil {
						send(result{err: err})
					}
					return
				}
				page, err := p.fetch(ctx, w.token)
				if err != nil {
					if ctx.Err() != nil && p.ctx.Err() == nil {
						return // the consumer stopped: not an error
					}
					send(result{err: err})
					return
				}
				more := w.next(page.NextPageToken)
				if len(page.Items) > 0 && !send(result{page: page}) {
					return
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
