package analyticstest

import (
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Fault describes one injected failure; queue faults with Server.FailNext or
// draw them at random with Server.FailRandomly.
type Fault = fakeserver.Fault

// Kind is a kind of injected fault.
type Kind = fakeserver.Kind

// Request is one request as the fake received it (Server.Requests).
type Request = fakeserver.Request

// The fault kinds.
const (
	// Status answers with Fault.Status (and Retry-After when set) in the
	// API's error envelope.
	Status = fakeserver.Status
	// Drop closes the connection without an answer.
	Drop = fakeserver.Drop
	// Truncate sends the real answer's headers and half its body, then
	// closes the connection.
	Truncate = fakeserver.Truncate
	// Slow waits Fault.Delay (or until the client gives up), then answers.
	Slow = fakeserver.Slow
	// Issue 14's hostile answers: a blank 200 body; half the real body
	// framed by the connection's close; a gzip bomb (Fault.Size inflated
	// bytes, 1 GiB by default); a body that never ends.
	Blank    = fakeserver.Blank
	CutShort = fakeserver.CutShort
	GzipBomb = fakeserver.GzipBomb
	Endless  = fakeserver.Endless
)

// Common faults.
var (
	Fault429      = fakeserver.Fault429
	Fault500      = fakeserver.Fault500
	Fault502      = fakeserver.Fault502
	Fault503      = fakeserver.Fault503
	Fault504      = fakeserver.Fault504
	FaultDrop     = fakeserver.FaultDrop
	FaultTruncate = fakeserver.FaultTruncate
	FaultBlank    = fakeserver.FaultBlank
	FaultCutShort = fakeserver.FaultCutShort
	FaultGzipBomb = fakeserver.FaultGzipBomb
	FaultEndless  = fakeserver.FaultEndless
)

// AllFaults returns one fault of every kind: slow answers are delayed by
// delay and 429s ask for retryAfter.
func AllFaults(retryAfter, delay time.Duration) []Fault {
	return fakeserver.AllFaults(retryAfter, delay)
}
