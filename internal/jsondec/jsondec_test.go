package jsondec

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// decodeAs runs read on a fresh decoder over in and reports whether the
// fast path accepted the whole document.
func decodeAs(in string, read func(d *Decoder)) bool {
	var d Decoder
	d.Reset([]byte(in))
	read(&d)
	return d.Finish() == nil
}

// The fast path never accepts a document encoding/json rejects, and reads
// each scalar to encoding/json's value.
func checkAgainstStd(t *testing.T, in string) {
	t.Helper()
	valid := json.Valid([]byte(in))
	if decodeAs(in, (*Decoder).Skip) && !valid {
		t.Fatalf("Skip accepted %q, which encoding/json rejects", in)
	}
	var s string
	if decodeAs(in, func(d *Decoder) { s = d.String() }) {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil || s != want {
			t.Fatalf("String(%q) = %q; encoding/json: %q, %v", in, s, want, err)
		}
	}
	var n int64
	if decodeAs(in, func(d *Decoder) { n = d.Int64() }) {
		var want int64
		if err := json.Unmarshal([]byte(in), &want); err != nil || n != want {
			t.Fatalf("Int64(%q) = %d; encoding/json: %d, %v", in, n, want, err)
		}
	}
	var i int
	if decodeAs(in, func(d *Decoder) { i = d.Int() }) {
		var want int
		if err := json.Unmarshal([]byte(in), &want); err != nil || i != want {
			t.Fatalf("Int(%q) = %d; encoding/json: %d, %v", in, i, want, err)
		}
	}
	var f float64
	if decodeAs(in, func(d *Decoder) { f = d.Float64() }) {
		var want float64
		if err := json.Unmarshal([]byte(in), &want); err != nil || math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("Float64(%q) = %v; encoding/json: %v, %v", in, f, want, err)
		}
	}
	var b bool
	if decodeAs(in, func(d *Decoder) { b = d.Bool() }) {
		var want bool
		if err := json.Unmarshal([]byte(in), &want); err != nil || b != want {
			t.Fatalf("Bool(%q) = %v; encoding/json: %v, %v", in, b, want, err)
		}
	}
	var raw []byte
	if decodeAs(in, func(d *Decoder) { raw = d.Raw() }) {
		var want json.RawMessage
		if err := json.Unmarshal([]byte(in), &want); err != nil || string(raw) != strings.Trim(string(want), " \t\r\n") {
			t.Fatalf("Raw(%q) = %q; encoding/json: %q, %v", in, raw, want, err)
		}
	}
	var tm time.Time
	if decodeAs(in, func(d *Decoder) { d.Time(&tm) }) {
		var want time.Time
		if err := json.Unmarshal([]byte(in), &want); err != nil || !tm.Equal(want) || tm.Location().String() != want.Location().String() {
			t.Fatalf("Time(%q) = %v; encoding/json: %v, %v", in, tm, want, err)
		}
	}
}

var samples = []string{
	`"plain"`, `"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, "\"\xff\"", "\"\x01\"",
	`"é"`, `""`, `"unterminated`, `"\x"`, `"\u12"`,
	`0`, `-0`, `12`, `-12`, `01`, `1.`, `1.5`, `-1.5e3`, `1e400`, `123456789012345678`, `1234567890123456789`,
	`9223372036854775807`, `-9223372036854775808`, `0.1`, `0.30000000000000004`, `1234567890.1234567890`,
	`-`, `+1`, `.5`, `1E+2`, `1e-2`,
	`true`, `false`, `null`, `nul`, `tru`,
	`{}`, `[]`, `{"a":[1,{"b":null}],"c":"d"}`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{]`, `[}`, `{"a":1}}`, ` [ 1 , 2 ] `,
	`"2024-06-03T08:44:51Z"`, `"2024-06-03T08:44:51.994+02:00"`, `"2024-06-03"`, `"2024-06-03T08:44:51\u005a"`,
	`"2024-06-03T08:44:51.1Z"`, `"2024-06-03T08:44:51.123456789Z"`, `"2024-06-03T08:44:51.1234567891Z"`, `"2024-06-03T08:44:51.Z"`,
	`"2024-02-29T23:59:59Z"`, `"2023-02-29T00:00:00Z"`, `"2024-06-03T24:00:00Z"`, `"2024-06-03T08:60:00Z"`, `"2024-06-03T08:44:60Z"`,
	`"0000-01-01T00:00:00Z"`, `"2024-13-01T00:00:00Z"`, `"2024-06-00T00:00:00Z"`, `"2024-06-03t08:44:51Z"`, `"2024-06-03T08:44:51z"`,
	`"2024-06-03T08:44:51+00:00"`, `"2024-06-03T8:44:51Z"`, `"2024-06-03T08:44:5aZ"`, `"-024-06-03T08:44:51Z"`, `"2024-06-03T08:44:51,5Z"`,
	// Long strings, the special byte at every place in an 8-byte word.
	`"abcdefghijklmnopqrstuvwxyz0123456789"`, `"abcdefghijklmnopq\"rstuvwxyz0123456789"`, `"abcdefghijklm\u00e9nopqrstuvwxyz"`,
	"\"abcdefghijklmnopqrstu\x1fvwxyz0123456789\"", "\"abcdefghijklmnopqrstuvwxyzé0123456789\"", "\"abcdefghijklmnopqrstuvwxyz\xe9123456789\"",
	`"abcdefgh"`, `"abcdefg"`, `"abcdefghi`, `"abcdefghijklmnop"`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 100) + strings.Repeat("]", 100),
}

func TestAgainstEncodingJSON(t *testing.T) {
	for _, in := range samples {
		checkAgainstStd(t, in)
	}
	for k := range 24 { // a quote, a backslash, a control byte or a non-ASCII byte at offset k
		for _, c := range []string{`\"`, `\\`, "\x01", "é", "\xff", `"`} {
			checkAgainstStd(t, `"`+strings.Repeat("a", k)+c+strings.Repeat("b", 20)+`"`)
		}
	}
	// The common shapes are on the fast path.
	for _, in := range []string{`"plain"`, `"é \n"`, `"abcdefghijklmnopq\"rstuvwxyzé0123456789"`, `12`, `-1.5`, `true`, `null`, `{"a":[1,{"b":null}],"c":"d"}`, `"2024-06-03T08:44:51Z"`} {
		if !decodeAs(in, (*Decoder).Skip) {
			t.Errorf("Skip(%q) gave up", in)
		}
	}
	if !decodeAs(`"\ud83d\ude00"`, func(d *Decoder) { _ = d.String() }) || !decodeAs(`1.25`, func(d *Decoder) { _ = d.Float64() }) {
		t.Error("String or Float64 gave up on a common value")
	}
}

func FuzzAgainstEncodingJSON(f *testing.F) {
	for _, s := range samples[:len(samples)-2] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) { checkAgainstStd(t, in) })
}

// An object read member by member: exact names, nulls, unknown members,
// case-folded names and duplicates.
func TestObject(t *testing.T) {
	type rec struct {
		ID   int64
		Name string
		Ok   *bool
	}
	names := NewNames([]string{"name"}, "id", "ok")
	read := func(in string) (rec, bool) {
		var r rec
		ok := decodeAs(in, func(d *Decoder) {
			m := d.Members(names, &r.Name)
			for d.Next(&m) {
				switch m.Index() {
				case 0:
					d.Int64OrNull(&r.ID)
				case 1:
					if !d.Null() {
						var b bool
						d.BoolOrNull(&b)
						r.Ok = &b
					}
				}
			}
		})
		return r, ok
	}
	if r, ok := read(` {"id": 7, "name": "x", "ok": true, "other": {"id": [1, "2"]}} `); !ok || r.ID != 7 || r.Name != "x" || r.Ok == nil || !*r.Ok {
		t.Errorf("got %+v, %v", r, ok)
	}
	if r, ok := read(`{"id": null, "name": null, "ok": null}`); !ok || r != (rec{}) {
		t.Errorf("nulls: got %+v, %v", r, ok)
	}
	for _, in := range []string{`{"ID": 1}`, `{"id": 1, "id": 2}`, `{"n\u0061me": "x"}`, `{"név": 1}`, `{"id": "1"}`, `{"id": 1} 2`, `{"id": 1`, `[1]`} {
		if _, ok := read(in); ok {
			t.Errorf("%s: the fast path took it", in)
		}
	}
}

// Strings and raw values of one item share its arenas, never overlapping;
// the next item gets arenas of its own.
func TestArenas(t *testing.T) {
	long := strings.Repeat("x", 3000)
	in := `["a", "bc", "` + long + `", {"k": [1]}, [2], "d"]`
	var strs []string
	var raws [][]byte
	ok := decodeAs(in, func(d *Decoder) {
		d.Array()
		for i := 0; d.More(); i++ {
			switch {
			case i < 3:
				strs = append(strs, d.String())
			case i < 5:
				raws = append(raws, d.Raw())
			default:
				d.Item()
				strs = append(strs, d.String())
			}
		}
	})
	if !ok || strings.Join(strs, ",") != "a,bc,"+long+",d" || string(raws[0]) != `{"k": [1]}` || string(raws[1]) != "[2]" {
		t.Fatalf("got %v %q %v", ok, raws, len(strs))
	}
	if unsafe.StringData(strs[1]) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(strs[0])), 1)) {
		t.Error("the strings of one item do not share an allocation")
	}
	raws[0] = append(raws[0], '!') // capped: reallocates
	if string(raws[1]) != "[2]" {
		t.Errorf("appending to one raw value changed the next: %q", raws[1])
	}
	var d Decoder
	d.Reset([]byte(`"tok"`))
	if s := d.OwnString(); s != "tok" || d.Finish() != nil {
		t.Errorf("OwnString: %q", s)
	}
}

// Mark and Rewind read a value a second time, the first attempt's failure
// forgotten; a syntax error is still found the second time.
func TestMarkRewind(t *testing.T) {
	for in, wantOK := range map[string]bool{`{"a": {"x": 1, "y": 2}, "b": true}`: true, `{"a": {"x": 1, "y": 2,}}`: false} {
		var raw []byte
		ok := decodeAs(in, func(d *Decoder) {
			d.Object()
			for d.More() {
				if string(d.Key()) != "a" {
					d.Skip()
					continue
				}
				m := d.Mark()
				d.Object()
				for d.More() {
					if string(d.Key()) != "x" {
						d.Fail() // a member the fast path does not read
					}
					d.Skip()
				}
				if d.Failed() {
					d.Rewind(m)
					raw = d.SkipRaw()
				}
			}
		})
		if ok != wantOK || wantOK && string(raw) != `{"x": 1, "y": 2}` {
			t.Errorf("%s: ok %v, raw %q", in, ok, raw)
		}
	}
}

func TestJSONNames(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B string `json:"b,omitempty"`
	}
	type outer struct {
		inner
		B       int    `json:"b"` // hides inner's
		C       string // no tag: its Go name
		D       string `json:"-"`
		e       string
		Renamed string `json:",omitempty"`
	}
	_ = outer{}.e
	got := JSONNames(reflect.TypeFor[outer]())
	if want := []string{"b", "C", "Renamed", "a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
