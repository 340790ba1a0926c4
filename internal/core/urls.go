package core

import (
	"net/url"
	"sort"
	"strings"
)

// Path joins segments into an escaped path that starts with "/". Each segment
// is escaped as one segment: "/", "?", "#", "%", "+", "=" and every other
// character outside RFC 3986's unreserved set are percent-encoded, and the
// segments "." and ".." become "%2E" and "%2E%2E", so an id can never change
// the request path.
func Path(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(EscapeSegment(s))
	}
	return b.String()
}

// EscapeSegment escapes one path segment (see Path).
func EscapeSegment(s string) string {
	if s == "." || s == ".." {
		return strings.Repeat("%2E", len(s))
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// EncodeQuery encodes v sorted by key like url.Values.Encode, except that a
// leading "$" in a key is sent literally ("$maxpagesize", not "%24maxpagesize").
func EncodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		ek := url.QueryEscape(k)
		if strings.HasPrefix(k, "$") {
			ek = "$" + url.QueryEscape(k[1:])
		}
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(val))
		}
	}
	return b.String()
}

// secretParams are query names whose values are never shown.
var secretParams = []string{"token", "key", "secret", "password", "signature", "sig", "auth", "credential", "code"}

func isSecretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range secretParams {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// SanitizeURL renders u for errors and logs: no user info, and the values of
// query parameters whose names look secret (token, key, secret, ...) replaced
// by "REDACTED".
func SanitizeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.Fragment = ""
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			c.RawQuery = "REDACTED"
		} else {
			changed := false
			for k := range q {
				if isSecretParam(k) {
					for i := range q[k] {
						q[k][i] = "REDACTED"
					}
					changed = true
				}
			}
			if changed {
				c.RawQuery = EncodeQuery(q)
			}
		}
	}
	return c.String()
}
