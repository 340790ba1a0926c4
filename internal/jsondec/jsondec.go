// Package jsondec is the reflection-free, single-pass JSON reader behind the
// list pages of the hot wire types (Workiva activities, ActivTrak log
// records, SD Elements activities). A provider writes a decode function per
// type with it, straight into the public models.
//
// It is a fast path, not a second JSON decoder: it reads only the common
// shape of a document and gives up (Decoder.Failed, ErrFallback) on anything
// else: a duplicate or case-folded key, an escape in a key, invalid UTF-8, a
// lone surrogate, an integer out of range, a value of an unexpected type.
// The caller then decodes the same body with encoding/json, exactly as
// before, so results and errors are today's on every input; the fast path
// only has to be right when it succeeds, which each provider's differential
// fuzz target checks against encoding/json.
//
// Syntax is checked in full (RFC 8259 as encoding/json reads it, nesting up
// to 10000 levels): a document the fast path accepts is one encoding/json
// accepts.
package jsondec

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// ErrFallback says the fast path did not apply: decode the body with
// encoding/json.
var ErrFallback = errors.New("jsondec: not on the fast path")

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// Decoder reads one JSON document from a byte slice. Its zero value is not
// usable: call Reset. Errors are sticky: after the first, every method
// returns zero values and Finish returns ErrFallback.
type Decoder struct {
	b     []byte
	i     int
	depth int
	open  bool // just after '{' or '[': the first member or element
	bad   bool
	stack []byte // the closing bracket of each open object or array

	// The current item's arenas (bytes before len are handed out, never
	// written again), and what the item used and the next is expected to.
	strs, raws       []byte
	strUsed, rawUsed int
	strWant, rawWant int
	esc              []byte // scratch for unescaping
}

// Reset points d at b.
func (d *Decoder) Reset(b []byte) {
	*d = Decoder{b: b, esc: d.esc[:0], stack: d.stack[:0]}
}

// Fail marks the document as off the fast path.
func (d *Decoder) Fail() { d.bad = true }

// Failed reports whether the fast path gave up.
func (d *Decoder) Failed() bool { return d.bad }

// Finish checks that only whitespace follows the top-level value, and
// returns ErrFallback if the fast path gave up anywhere.
func (d *Decoder) Finish() error {
	d.ws()
	if d.i != len(d.b) {
		d.bad = true
	}
	if d.bad {
		return ErrFallback
	}
	return nil
}

func (d *Decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// Peek returns the first byte of the next value ('{' for an object, '[' for
// an array...), 0 at the end or after a failure. It reads nothing.
func (d *Decoder) Peek() byte {
	if d.bad {
		return 0
	}
	return d.peek()
}

// mayBeNull is false when the next byte is surely not a null's: checked
// inline before the call to Null (which does not inline).
func (d *Decoder) mayBeNull() bool {
	return d.i >= len(d.b) || d.b[d.i] <= ' ' || d.b[d.i] == 'n'
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (d *Decoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// Null consumes a null and reports whether there was one.
func (d *Decoder) Null() bool {
	if i := d.i; i < len(d.b) {
		if c := d.b[i]; c > ' ' && c != 'n' {
			return false // the common case, small enough to inline
		}
	}
	return d.null()
}

func (d *Decoder) null() bool {
	if d.bad || d.peek() != 'n' {
		return false
	}
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	d.bad = true
	return false
}

// Object consumes the '{' of an object; false (and failed) when the next
// value is not one. Iterate its members with More and Key.
func (d *Decoder) Object() bool { return d.open1('{') }

// Array consumes the '[' of an array; false (and failed) when the next value
// is not one. Iterate its elements with More.
func (d *Decoder) Array() bool { return d.open1('[') }

func (d *Decoder) open1(c byte) bool {
	if d.bad || d.peek() != c {
		d.bad = true
		return false
	}
	d.i++
	d.depth++
	if d.depth > maxDepth {
		d.bad = true
		return false
	}
	d.stack = append(d.stack, c+2) // '{'+2 is '}', '['+2 is ']'
	d.open = true
	return true
}

// close consumes the closing bracket c if it closes the innermost value.
func (d *Decoder) close(c byte) bool {
	if len(d.stack) == 0 || d.stack[len(d.stack)-1] != c {
		d.bad = true
		return false
	}
	d.stack = d.stack[:len(d.stack)-1]
	d.i++
	d.depth--
	return false
}

// More reports whether the object or array just opened has another member
// or element, consuming the ',' or the closing bracket.
func (d *Decoder) More() bool {
	if d.bad {
		return false
	}
	c := d.peek()
	if d.open {
		d.open = false
		if c == '}' || c == ']' {
			return d.close(c)
		}
		return true
	}
	switch c {
	case ',':
		d.i++
		return true
	case '}', ']':
		return d.close(c)
	}
	d.bad = true
	return false
}

// Key reads a member's name and its ':'. The name is returned as it is in
// the document; a name with an escape fails (it could match a field only
// once unescaped). The result is valid until the next call.
func (d *Decoder) Key() []byte {
	k, _ := d.key(nil)
	return k
}

// Unknown skips the value of a member whose name matched no field. A name
// that equals one of names under encoding/json's case folding would have
// matched that field: the fast path fails.
func (d *Decoder) Unknown(key []byte, names ...string) {
	for _, n := range names {
		if len(n) == len(key) && equalFoldASCII(key, n) {
			d.bad = true
			return
		}
	}
	d.Skip()
}

// equalFoldASCII compares an ASCII key with a name, ignoring ASCII case.
// (A non-ASCII key never reaches it: Key fails on one.)
func equalFoldASCII(key []byte, name string) bool {
	for i := range len(key) {
		a, b := key[i], name[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// Skip reads and checks any value.
func (d *Decoder) Skip() {
	if d.bad {
		return
	}
	switch c := d.peek(); c {
	case '{':
		if !d.Object() {
			return
		}
		for d.More() {
			d.skipString() // a name: any valid string
			if d.bad || d.peek() != ':' {
				d.bad = true
				return
			}
			d.i++
			d.Skip()
		}
	case '[':
		if !d.Array() {
			return
		}
		for d.More() {
			d.Skip()
		}
	case '"':
		d.skipString()
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	default:
		d.number()
	}
}

func (d *Decoder) literal(s string) {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return
	}
	d.bad = true
}

// SkipRaw reads any value and returns its bytes as in the document.
func (d *Decoder) SkipRaw() []byte {
	d.ws()
	start := d.i
	d.Skip()
	if d.bad {
		return nil
	}
	return d.b[start:d.i]
}

// skipString checks a string as encoding/json's scanner does: no control
// characters, only the defined escapes (\uXXXX with four hex digits). It
// returns whether the string held an escape or a non-ASCII byte.
func (d *Decoder) skipString() (escaped, nonASCII bool) {
	if d.bad || d.peek() != '"' {
		d.bad = true
		return
	}
	j := d.i + 1
	for j < len(d.b) {
		j = plainRun(d.b, j)
		if j >= len(d.b) {
			break
		}
		c := d.b[j]
		switch {
		case c == '"':
			d.i = j + 1
			return
		case c == '\\':
			escaped = true
			if j+1 >= len(d.b) {
				d.bad = true
				return
			}
			switch d.b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(d.b) || !isHex4(d.b[j+2:j+6]) {
					d.bad = true
					return
				}
				j += 6
			default:
				d.bad = true
				return
			}
		case c < 0x20:
			d.bad = true
			return
		default:
			if c >= utf8.RuneSelf {
				nonASCII = true
			}
			j++
		}
	}
	d.bad = true
	return
}

// plainRun returns the index of the first 8-byte word from j on that may
// hold a quote, a backslash, a control character or a non-ASCII byte (or
// the index past the last whole word): string bytes that need no look are
// passed over eight at a time.
func plainRun(b []byte, j int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for j+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[j:])
		q, bs := x^(lo*'"'), x^(lo*'\\')
		if ((q-lo)&^q|(bs-lo)&^bs|(x-lo*0x20)&^x|x)&hi != 0 {
			return j
		}
		j += 8
	}
	return j
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// stringBytes reads a string value and returns its decoded bytes: the
// document's own bytes when it has no escape, else d.esc. Invalid UTF-8
// and lone surrogates fail (encoding/json replaces them with U+FFFD).
func (d *Decoder) stringBytes() []byte {
	d.ws()
	start := d.i
	escaped, nonASCII := d.skipString()
	if d.bad {
		return nil
	}
	raw := d.b[start+1 : d.i-1]
	if nonASCII && !utf8.Valid(raw) {
		d.bad = true
		return nil
	}
	if !escaped {
		return raw
	}
	out := d.esc[:0]
	for k := 0; k < len(raw); {
		c := raw[k]
		if c != '\\' {
			out = append(out, c)
			k++
			continue
		}
		switch raw[k+1] {
		case '"', '\\', '/':
			out = append(out, raw[k+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[k+2:])
			k += 6
			if utf16.IsSurrogate(r) {
				if k+6 > len(raw) || raw[k] != '\\' || raw[k+1] != 'u' {
					d.bad = true
					return nil
				}
				r = utf16.DecodeRune(r, hex4(raw[k+2:]))
				if r == utf8.RuneError {
					d.bad = true
					return nil
				}
				k += 6
			}
			out = utf8.AppendRune(out, r)
			continue
		}
		k += 2
	}
	d.esc = out
	return out
}

// String reads a string value. Its bytes are copied into the current item's
// string arena (see Item).
func (d *Decoder) String() string {
	b := d.stringBytes()
	if len(b) == 0 {
		return ""
	}
	return d.intern(b)
}

// OwnString reads a string value into an allocation of its own: for a value
// kept past its page (a page token), which must not hold an item's arena.
func (d *Decoder) OwnString() string { return string(d.stringBytes()) }

// OwnStringOrNull is OwnString for a string or null: ok is false for null.
func (d *Decoder) OwnStringOrNull() (s string, ok bool) {
	if d.mayBeNull() && d.Null() {
		return "", false
	}
	return d.OwnString(), true
}

// Item starts a new item: the strings and raw values read until the next
// call share one allocation each, sized like the previous item's, so that a
// value kept from an item holds that item's text and no other's.
func (d *Decoder) Item() {
	d.strs, d.raws = nil, nil
	d.strWant = d.strUsed + d.strUsed/4 + 16
	d.rawWant = d.rawUsed + d.rawUsed/4 + 16
	d.strUsed, d.rawUsed = 0, 0
}

// grow returns an empty chunk for at least n bytes, sized to what the item
// is expected to use still.
func grow(n, want, used int) []byte {
	return make([]byte, 0, max(want-used, 2*n, 32))
}

func (d *Decoder) intern(b []byte) string {
	if cap(d.strs)-len(d.strs) < len(b) {
		d.strs = grow(len(b), d.strWant, d.strUsed)
	}
	d.strUsed += len(b)
	n := len(d.strs)
	d.strs = append(d.strs, b...)
	// The chunk's bytes before len are never written again.
	return unsafe.String(&d.strs[n], len(b))
}

// StringOrNull reads a string value; null leaves *s as it is (as
// encoding/json does). Another type fails.
func (d *Decoder) StringOrNull(s *string) {
	if d.mayBeNull() && d.Null() {
		return
	}
	b := d.stringBytes()
	if len(b) == 0 {
		*s = ""
		return
	}
	*s = d.intern(b)
}

// Raw reads any value and returns a copy of its bytes, as json.RawMessage
// keeps them, in the current item's raw arena (see Item). Each copy is
// capped, so appending to one never writes over another.
func (d *Decoder) Raw() []byte {
	b := d.SkipRaw()
	if d.bad {
		return nil
	}
	if cap(d.raws)-len(d.raws) < len(b) {
		d.raws = grow(len(b), d.rawWant, d.rawUsed)
	}
	d.rawUsed += len(b)
	n := len(d.raws)
	d.raws = append(d.raws, b...)
	return d.raws[n:len(d.raws):len(d.raws)]
}

// number reads a number literal as encoding/json's scanner accepts it and
// returns its bytes and whether it is an integer (no fraction, no exponent).
func (d *Decoder) number() (lit []byte, integer bool) {
	if d.bad {
		return nil, false
	}
	d.ws()
	b, j := d.b, d.i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	default:
		d.bad = true
		return nil, false
	}
	integer = true
	if j < len(b) && b[j] == '.' {
		integer = false
		j++
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			d.bad = true
			return nil, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		integer = false
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			d.bad = true
			return nil, false
		}
	}
	lit = b[d.i:j]
	d.i = j
	return lit, integer
}

// Int64 reads an integer number into an int64; a fraction, an exponent or
// an overflow fails (encoding/json refuses them for integer fields).
func (d *Decoder) Int64() int64 {
	lit, integer := d.number()
	if d.bad || !integer {
		d.bad = true
		return 0
	}
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	if len(lit) > 18 { // may overflow: the slow path decides
		d.bad = true
		return 0
	}
	var n int64
	for _, c := range lit {
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n
}

// Int reads an integer number into an int; one the platform's int cannot
// hold fails, as encoding/json refuses it.
func (d *Decoder) Int() int {
	n := d.Int64()
	if int64(int(n)) != n {
		d.bad = true
		return 0
	}
	return int(n)
}

// Int64OrNull reads an integer; null leaves *p as it is.
func (d *Decoder) Int64OrNull(p *int64) {
	if d.mayBeNull() && d.Null() {
		return
	}
	*p = d.Int64()
}

// IntOrNull reads an integer; null leaves *p as it is.
func (d *Decoder) IntOrNull(p *int) {
	if d.mayBeNull() && d.Null() {
		return
	}
	*p = d.Int()
}

// pow10 holds the exactly representable powers of ten.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// Float64 reads a number into a float64, exactly as strconv.ParseFloat
// rounds it.
func (d *Decoder) Float64() float64 {
	lit, _ := d.number()
	if d.bad {
		return 0
	}
	// Exact fast path: at most 15 significant digits and a fraction of at
	// most 22 digits, no exponent: mantissa and power of ten are both
	// exact, so one division rounds correctly.
	var m uint64
	digits, frac, inFrac := 0, 0, false
	neg := false
	for k, c := range lit {
		switch {
		case c == '-' && k == 0:
			neg = true
		case c == '.':
			inFrac = true
		case '0' <= c && c <= '9':
			m = m*10 + uint64(c-'0')
			if m != 0 {
				digits++
			}
			if inFrac {
				frac++
			}
		default: // an exponent
			digits = 99
		}
	}
	if digits <= 15 && frac <= 22 {
		f := float64(m) / pow10[frac]
		if neg {
			f = -f
		}
		return f
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil || math.IsInf(f, 0) {
		d.bad = true
		return 0
	}
	return f
}

// Float64OrNull reads a number; null leaves *p as it is.
func (d *Decoder) Float64OrNull(p *float64) {
	if d.mayBeNull() && d.Null() {
		return
	}
	*p = d.Float64()
}

// Bool reads true or false.
func (d *Decoder) Bool() bool {
	switch d.peek() {
	case 't':
		d.literal("true")
		return true
	case 'f':
		d.literal("false")
		return false
	}
	d.bad = true
	return false
}

// BoolOrNull reads true, false or null (which leaves *p as it is).
func (d *Decoder) BoolOrNull(p *bool) {
	if d.mayBeNull() && d.Null() {
		return
	}
	*p = d.Bool()
}

// Time reads a time.Time as encoding/json does (time.Time.UnmarshalJSON on
// the quoted text: RFC 3339); null leaves *t as it is.
func (d *Decoder) Time(t *time.Time) {
	if d.mayBeNull() && d.Null() {
		return
	}
	b := d.QuotedRaw()
	if d.bad {
		return
	}
	if err := t.UnmarshalJSON(b); err != nil {
		d.bad = true
	}
}

// QuotedRaw reads a string without escapes and returns it with its quotes,
// as a json.Unmarshaler receives it. An escape fails.
func (d *Decoder) QuotedRaw() []byte {
	d.ws()
	start := d.i
	escaped, nonASCII := d.skipString()
	if d.bad || escaped || nonASCII {
		d.bad = true
		return nil
	}
	return d.b[start:d.i]
}

// Mark is a position to come back to with Rewind.
type Mark struct {
	i, depth, stack int
	open            bool
}

// Mark returns the current position; the decoder must not have failed.
func (d *Decoder) Mark() Mark { return Mark{d.i, d.depth, len(d.stack), d.open} }

// Rewind goes back to m, clearing a failure after it: to read a value again
// another way (SkipRaw, then encoding/json on its bytes).
func (d *Decoder) Rewind(m Mark) {
	d.i, d.depth, d.stack, d.open, d.bad = m.i, m.depth, d.stack[:m.stack], m.open, false
}
