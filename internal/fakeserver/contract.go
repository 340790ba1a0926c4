package fakeserver

import (
	"net/http"
	"sync"
)

// ContractHook wraps the handler of every fake started while it is set:
// contract names the description the fake follows (Config.Contract), h is
// the fake's whole handler, faults included. internal/contract installs one
// from a package's TestMain so that every request and answer of every fake in
// that test binary is checked against the provider's OpenAPI document.
type ContractHook func(contract string, h http.Handler) http.Handler

var (
	hookMu sync.Mutex
	hook   ContractHook
)

// SetContractHook makes every fake started from now on serve through hook
// (nil: none) and returns a func that restores the previous hook. Fakes
// already running keep the handler they started with.
func SetContractHook(h ContractHook) (restore func()) {
	hookMu.Lock()
	prev := hook
	hook = h
	hookMu.Unlock()
	return func() {
		hookMu.Lock()
		hook = prev
		hookMu.Unlock()
	}
}

func contractHook() ContractHook {
	hookMu.Lock()
	defer hookMu.Unlock()
	return hook
}

// AnswerExempter is implemented by the ResponseWriter of a contract checker.
// A fake calls ExemptAnswer (through MarkExempt) before it writes an answer
// that deliberately breaks the provider's contract: a dropped connection, a
// truncated body, a fault body given verbatim by a test. The request is still
// checked; the answer is not.
type AnswerExempter interface {
	ExemptAnswer(reason string)
}

// MarkExempt tells a contract checker wrapping w, if any, that the answer
// about to be written is a deliberate fault and not held to the contract.
func MarkExempt(w http.ResponseWriter, reason string) {
	if e, ok := w.(AnswerExempter); ok {
		e.ExemptAnswer(reason)
	}
}
