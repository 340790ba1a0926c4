package reliability_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
)

// canceledScale is small: a few pages are enough to end a walk in the middle.
var canceledScale = faultScale{pages: 6, pageSize: 5}

// TestCanceledContextIsRequestError: through every provider's public API
// (its list pagers, sequential and reading ahead, and close's report calls),
// a context that is done before the call, or that is cancelled in the middle
// of a walk, ends it with the package's *RequestError (no answer was had)
// that still matches context.Canceled or context.DeadlineExceeded. A context
// done before the call sends nothing: no API request, no token request.
func TestCanceledContextIsRequestError(t *testing.T) {
	t.Parallel()
	type when struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		// midway cancels once the walk has yielded its first item (between
		// pages); inFlight cancels as the third request goes out (a page
		// request in flight, or a read-ahead one).
		midway, inFlight bool
		want             error
	}
	cancelled := func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	whens := []when{
		{"cancelled before", cancelled, false, false, context.Canceled},
		{"deadline passed before", func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		}, false, false, context.DeadlineExceeded},
		{"cancelled between pages", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}, true, false, context.Canceled},
		{"cancelled in flight", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}, false, true, context.Canceled},
	}
	for _, p := range faultProviders() {
		aheads := []int{0}
		if p.paged {
			aheads = append(aheads, 2)
		}
		for _, ahead := range aheads {
			for _, w := range whens {
				if w.midway && p.name == "analytics" {
					continue // its walk yields once the whole series is read: nothing is left to cancel
				}
				t.Run(p.name+"/"+w.name+"/readahead="+strconv.Itoa(ahead), func(t *testing.T) {
					t.Parallel()
					srv, base := p.start(canceledScale, false)
					defer srv.Close()
					ctx, cancel := w.ctx()
					defer cancel()
					s := faultSettings{baseURL: base, retry: workiva.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}, readAhead: ahead}
					if w.inFlight {
						var sent atomic.Int32
						tr := &http.Transport{}
						defer tr.CloseIdleConnections()
						s.hc = &http.Client{Transport: canceledTransport(func(r *http.Request) (*http.Response, error) {
							if sent.Add(1) == 3 {
								cancel()
							}
							return tr.RoundTrip(r)
						})}
					}
					items := 0
					err := p.each(ctx, s, canceledScale, func(faultItem) bool {
						items++
						if w.midway {
							cancel()
						}
						return true
					})
					require.Error(t, err, "the walk must end with the context's error")
					assert.ErrorIs(t, err, w.want)
					var re *workiva.RequestError // every package's RequestError converts (errors.As)
					require.ErrorAs(t, err, &re, "%T: %v", err, err)
					assert.True(t, strings.HasPrefix(p.name, re.Provider), "provider %q in %v", re.Provider, err)
					assert.NotEmpty(t, re.Method)
					assert.NotEmpty(t, re.URL)
					assert.True(t, strings.HasPrefix(err.Error(), re.Provider+": "+re.Method+" "), err.Error())
					if !w.midway && !w.inFlight {
						assert.Zero(t, items)
						assert.Zero(t, re.Attempts, "nothing was sent")
						assert.Zero(t, srv.RequestCount(), "no request, not even a token request")
					} else if w.midway {
						assert.Positive(t, items)
					}
					var unwrapped error = err
					for errors.Unwrap(unwrapped) != nil {
						unwrapped = errors.Unwrap(unwrapped)
					}
					assert.Equal(t, w.want, unwrapped, "the cause at the end of the chain")
				})
			}
		}
	}
}

type canceledTransport func(*http.Request) (*http.Response, error)

func (f canceledTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
