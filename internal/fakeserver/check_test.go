package fakeserver

import (
	"errors"
	"testing"
)

type fieldError struct{ Msg, Hidden string }

func (e *fieldError) Error() string { return e.Msg }

// recorder is a testing.TB that records a Fatalf instead of stopping.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestCheckErrorShown(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		fail bool
	}{
		{"clean", &fieldError{Msg: "bad request", Hidden: "x"}, false},
		{"plain error", errors.New("plain"), false},
		{"two lines", &fieldError{Msg: "a\nb"}, true},
		{"secret in Error()", &fieldError{Msg: "tok s3cret"}, true},
		{"secret in a field only", &fieldError{Msg: "ok", Hidden: "s3cret"}, true},
	} {
		r := &recorder{TB: t}
		CheckErrorShown(r, tc.err, "s3cret")
		if r.failed != tc.fail {
			t.Errorf("%s: failed = %v, want %v", tc.name, r.failed, tc.fail)
		}
	}
}
