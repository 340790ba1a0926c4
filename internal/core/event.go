package core

import (
	"context"
	"time"
)

// EventKind says what an Event reports.
type EventKind string

// The kinds of Event, emitted where the client logs the same facts.
const (
	// EventRequest: one attempt ended, with an answer (StatusCode) or
	// without one (Err, StatusCode 0).
	EventRequest EventKind = "request"
	// EventRetry: the client will try again after Wait (Reason says why:
	// "status 503", "connection error: ...", "401: credential refreshed").
	EventRetry EventKind = "retry"
	// EventWait: the client-side rate limit holds the request for Wait.
	EventWait EventKind = "wait"
	// EventGiveUp: a retryable failure is not retried (Reason says why:
	// a server wait beyond MaxRetryAfter, or past the context deadline).
	EventGiveUp EventKind = "give_up"
)

// MaxEventURL is the longest URL an Event carries; a longer one is cut and
// ends with "...".
const MaxEventURL = 2048

// Event is one request, retry or wait of a client, for metrics, tracing
// and progress displays; see WithEventHook. It never holds a credential:
// URL is sanitized like the URLs in errors and logs (no userinfo, secret
// query values removed), and no header is included.
type Event struct {
	Kind     EventKind
	Time     time.Time // when it happened, on the client's clock
	Provider string    // "workiva", "sdelements", ...
	Method   string    // "GET", ...
	URL      string    // sanitized, at most MaxEventURL bytes
	// Attempt is the attempt's number for EventRequest (1 = the first try)
	// and the number of the attempt about to be made for EventRetry.
	Attempt    int
	StatusCode int           // the answer's status; 0 when there was none
	Duration   time.Duration // EventRequest: how long the attempt took
	Wait       time.Duration // EventRetry, EventWait, EventGiveUp: the wait
	Reason     string        // one line: why a retry, a wait or a give-up
	Err        error         // EventRequest without an answer: the failure
}

// EventHook receives every Event of a client, synchronously, on the
// goroutine that makes the request: keep it quick. It may be called from
// several goroutines at once when the client is shared.
type EventHook func(context.Context, Event)

// SetEventHook stores the event hook; nil means none.
func (s *Settings) SetEventHook(h func(context.Context, Event)) error {
	s.EventHook = h
	return nil
}

// emit fills the fields every event shares, removes known credentials from
// its texts (as in errors) and calls the hook.
func (c *Client) emit(ctx context.Context, e Event) {
	h := c.cfg.Settings.EventHook
	if h == nil {
		return
	}
	e.Time = c.now()
	e.Provider = c.cfg.Provider
	e.URL, e.Reason = c.RedactString(e.URL), c.RedactString(e.Reason)
	if e.Err != nil {
		if msg := e.Err.Error(); c.RedactString(msg) != msg {
			e.Err = &redactedError{msg: c.RedactString(msg), err: e.Err}
		}
	}
	if len(e.URL) > MaxEventURL {
		e.URL = e.URL[:MaxEventURL-3] + "..."
	}
	h(ctx, e)
}
