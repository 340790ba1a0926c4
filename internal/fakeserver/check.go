package fakeserver

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// CheckErrorShown fails t when what a user may print of err breaks the line
// or shows secret: err.Error() must be one line without control characters
// and must not hold secret, and no field of the error value (printed with
// %#v, which shows the fields instead of calling Error) may hold it either.
func CheckErrorShown(t testing.TB, err error, secret string) {
	t.Helper()
	s := err.Error()
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Fatalf("Error() is not one line: %q", s)
	}
	if strings.Contains(s, secret) {
		t.Fatalf("Error() shows the credential: %q", s)
	}
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if all := fmt.Sprintf("%#v", v.Interface()); strings.Contains(all, secret) {
		t.Fatalf("a field of the error shows the credential: %s", all)
	}
}
