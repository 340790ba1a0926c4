package jsondec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Names finds each of its names, and nothing else: names of every length
// from 1 to 40 (past the 16 bytes compared as words and the by-length
// table's 31), names alike but for one byte anywhere or one byte longer,
// keys at the very end of a document (less than 16 bytes to read past them).
func TestNamesIndex(t *testing.T) {
	var names []string
	for l := 1; l <= 40; l++ {
		names = append(names, strings.Repeat("a", l-1)+"b")
	}
	names = append(names, "id", "ID", "type", "typf", "displayName", "displayNamf", "externalNotificationAlarm", "externalNotificationAlars")
	n := NewNames(names[:3], names[3:]...)
	if got := n.Names(); !reflect.DeepEqual(got, names) {
		t.Fatalf("Names() = %v", got)
	}
	for want, s := range names {
		for _, doc := range []string{s + `":`, s + `": 1, "later": 2, "padding past sixteen bytes"`} {
			if got := index(n, doc); got != want {
				t.Errorf("index(%q) in %q = %d, want %d", s, doc, got, want)
			}
		}
	}
	for _, s := range []string{"", "a", "c", "ba", "abb", "bab", "Id", "iD", "i", "idd", "typ", "types", "displayname",
		"externalNotificationAlarmx", "externalNotificationAlar", "externalNotifica", strings.Repeat("a", 15), strings.Repeat("a", 16) + "c", strings.Repeat("a", 41) + "b"} {
		for _, doc := range []string{s + `":`, s + `": 1, "padding past sixteen bytes"`} {
			if got := index(n, doc); got != -1 {
				t.Errorf("index(%q) = %d (%q), want -1", s, got, names[got])
			}
		}
	}
}

// index reads the key doc begins (after its opening quote, up to and with
// its ':'; more may follow) as Next does and returns its index in n; -2 when
// the key cannot be read.
func index(n *Names, doc string) int {
	var d Decoder
	d.Reset([]byte(`"` + doc))
	_, i := d.key(n)
	if d.bad {
		return -2
	}
	return i
}

// A key of 16 bytes is not a longer name it begins (whose first 16 bytes
// are the key's), with or without the key's own name in the table.
func TestNamesIndexLongNameInSlot(t *testing.T) {
	prefix := "abcdefghijklmnop"
	doc := prefix + `": 1, "padding past sixteen bytes"`
	for c := byte('A'); c <= 'z'; c++ {
		long := prefix + string(c)
		if got := index(NewNames(nil, long), doc); got != -1 {
			t.Errorf("index(%q) = %d, the index of %q", prefix, got, long)
		}
		if got := index(NewNames(nil, long, prefix), doc); got != 1 {
			t.Errorf("index(%q) = %d, want 1 (with %q at 0)", prefix, got, long)
		}
	}
}

func TestNewNamesRefusesBadTables(t *testing.T) {
	for name, f := range map[string]func(){
		"empty":    func() { NewNames([]string{"a", ""}) },
		"twice":    func() { NewNames([]string{"a"}, "b", "a") },
		"too many": func() { NewNames(nil, strings.Split(strings.Repeat("x,", 65), ",")...) },
		"not all": func() {
			var d Decoder
			d.Reset([]byte(`{}`))
			d.StringMembers(NewNames([]string{"a"}, "b"), new(string))
		},
		"too few":   func() { var d Decoder; d.Reset([]byte(`{}`)); d.Members(NewNames([]string{"a", "b"}), new(string)) },
		"too short": func() { var d Decoder; d.Reset([]byte(`{}`)); d.Members(NewNames(nil, "a"), new(string)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Members reads an object against a table as the hand-written loop it
// replaces did: strings into their targets, the other names to the caller
// by index, unknown names skipped, and the fast path given up on a
// duplicate, a case-folded name, or (NewOnlyNames) any unknown name.
func TestMembers(t *testing.T) {
	type rec struct {
		ID, Name string
		N        int64
		Ok       bool
		Order    []int
	}
	open := NewNames([]string{"id", "name"}, "n", "ok")
	only := NewOnlyNames([]string{"id", "name"}, "n", "ok")
	read := func(n *Names, in string) (rec, bool) {
		r := rec{ID: "kept", Name: "kept"}
		ok := decodeAs(in, func(d *Decoder) {
			m := d.Members(n, &r.ID, &r.Name)
			for d.Next(&m) {
				r.Order = append(r.Order, m.Index())
				switch m.Index() {
				case 0:
					d.Int64OrNull(&r.N)
				case 1:
					d.BoolOrNull(&r.Ok)
				}
			}
		})
		return r, ok
	}
	for _, c := range []struct {
		in       string
		open     bool // taken with open names
		only     bool // taken with only names
		id, name string
		n        int64
		ok       bool
		order    []int
	}{
		{`{"id": "a", "n": 5, "name": "b", "ok": true}`, true, true, "a", "b", 5, true, []int{0, 1}},
		{`{"ok": false, "n": -1}`, true, true, "kept", "kept", -1, false, []int{1, 0}},
		{`null`, true, true, "kept", "kept", 0, false, nil},
		{` { } `, true, true, "kept", "kept", 0, false, nil},
		{`{"id": null, "name": null, "n": null, "ok": null}`, true, true, "kept", "kept", 0, false, []int{0, 1}},
		{`{"other": [1, {"id": 2}], "id": "a"}`, true, false, "a", "kept", 0, false, nil},
		{`{"id": "a", "id": "b"}`, false, false, "", "", 0, false, nil},
		{`{"n": 1, "n": 2}`, false, false, "", "", 0, false, nil},
		{`{"ID": "a"}`, false, false, "", "", 0, false, nil},
		{`{"Ok": true}`, false, false, "", "", 0, false, nil},
		{`{"i\u0064": "a"}`, false, false, "", "", 0, false, nil},
		{`{"id": 1}`, false, false, "", "", 0, false, nil},
		{`[]`, false, false, "", "", 0, false, nil},
		{`"x"`, false, false, "", "", 0, false, nil},
		{`{"id": "a",}`, false, false, "", "", 0, false, nil},
		{`{"id": "a"`, false, false, "", "", 0, false, nil},
	} {
		for _, v := range []struct {
			n    *Names
			want bool
		}{{open, c.open}, {only, c.only}} {
			r, ok := read(v.n, c.in)
			if ok != v.want {
				t.Errorf("%s (only %v): fast path %v, want %v", c.in, v.n.only, ok, v.want)
				continue
			}
			if ok && (r.ID != c.id || r.Name != c.name || r.N != c.n || r.Ok != c.ok || !reflect.DeepEqual(r.Order, c.order)) {
				t.Errorf("%s (only %v): got %+v", c.in, v.n.only, r)
			}
		}
	}
}

// A failure inside the caller's case stops the loop: Next never hands out
// a member after one.
func TestMembersStopAfterFailure(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a": 1, "b": 2}`))
	m := d.Members(NewNames(nil, "a", "b"))
	calls := 0
	for d.Next(&m) {
		calls++
		d.Fail()
	}
	if calls != 1 || d.Finish() == nil {
		t.Errorf("%d calls, finish %v", calls, d.Finish())
	}
}

// Page, Items and List: the envelope of a list answer, the items of a page
// (each a new arena), a list inside an item (a copy of exactly its length,
// nil for null, empty for []).
func TestPage(t *testing.T) {
	names := NewNames(nil, "data", "next")
	type item struct {
		ID   string
		Tags []string
	}
	var scratch []string
	read := func(in string) (items []item, token string, has, ok bool) {
		ok = decodeAs(in, func(d *Decoder) {
			items, token, has = Page(d, names, make([]item, 0, 4), func(it *item) {
				m := d.Members(NewNames([]string{"id"}, "tags"), &it.ID)
				for d.Next(&m) {
					it.Tags = List(d, &scratch, d.StringOrNull)
				}
			})
		})
		return
	}
	items, token, has, ok := read(`{"x": 1, "data": [{"id": "a", "tags": ["t", null, "u"]}, null, {"tags": null}, {"tags": []}], "next": "n"}`)
	want := []item{{"a", []string{"t", "", "u"}}, {}, {}, {"", []string{}}}
	if !ok || !reflect.DeepEqual(items, want) || token != "n" || !has || cap(items[0].Tags) != 3 || items[3].Tags == nil {
		t.Errorf("got %#v %q %v %v", items, token, has, ok)
	}
	for in, wantHas := range map[string]bool{`{"data": null, "next": null}`: false, `{}`: false, `{"next": ""}`: true} {
		items, token, has, ok := read(in)
		if !ok || items == nil || len(items) != 0 || token != "" || has != wantHas {
			t.Errorf("%s: got %#v %q %v %v", in, items, token, has, ok)
		}
	}
	for _, in := range []string{`null`, `[]`, `{"data": {}}`, `{"data": [1]}`, `{"data": [], "data": []}`, `{"next": 1}`, `{"Data": []}`} {
		if _, _, _, ok := read(in); ok {
			t.Errorf("%s: the fast path took it", in)
		}
	}
	// Items' and List's nil for null.
	if !decodeAs(`null`, func(d *Decoder) {
		if Items(d, []int{}, func(*int) {}) != nil {
			t.Error("Items: not nil for null")
		}
	}) || !decodeAs(`null`, func(d *Decoder) {
		if List(d, &scratch, d.StringOrNull) != nil {
			t.Error("List: not nil for null")
		}
	}) {
		t.Error("null refused")
	}
}

func TestNullOrValue(t *testing.T) {
	var (
		i  int
		f  float64
		s  string
		ok bool
	)
	if !decodeAs(`[7, null, 1.5, null, "own", null]`, func(d *Decoder) {
		d.Array()
		d.More()
		d.IntOrNull(&i)
		d.More()
		d.IntOrNull(&i) // null leaves it
		d.More()
		d.Float64OrNull(&f)
		d.More()
		d.Float64OrNull(&f)
		d.More()
		s, ok = d.OwnStringOrNull()
		d.More()
		if _, isString := d.OwnStringOrNull(); isString {
			t.Error("OwnStringOrNull: ok for null")
		}
		d.More()
	}) || i != 7 || f != 1.5 || s != "own" || !ok {
		t.Errorf("got %v %v %q %v", i, f, s, ok)
	}
	for _, in := range []string{`1.5`, `"1"`, `nul`, `true`} {
		if decodeAs(in, func(d *Decoder) { d.IntOrNull(&i) }) {
			t.Errorf("IntOrNull(%s) taken", in)
		}
	}
	var p byte
	decodeAs(` {`, func(d *Decoder) { p = d.Peek() })
	if p != '{' {
		t.Errorf("Peek = %q", p)
	}
}

// A full table of short names (64, of 2 to 16 bytes, many alike but for
// their last bytes) has a perfect hash: each is found, and no near-miss is.
func TestNamesIndexFullTable(t *testing.T) {
	var names []string
	for i := range maxNames {
		names = append(names, strings.Repeat("q", i%15)+fmt.Sprintf("%02d", i))
	}
	n := NewNames(nil, names...)
	for want, s := range names {
		if got := index(n, s+`": 1, "padding past sixteen bytes"`); got != want {
			t.Errorf("index(%q) = %d, want %d", s, got, want)
		}
		for _, miss := range []string{s + "x", s[1:], "x" + s[1:]} {
			if got := index(n, miss+`": 1, "padding past sixteen bytes"`); got != -1 && names[got] != miss {
				t.Errorf("index(%q) = %d (%q), want -1", miss, got, names[got])
			}
		}
	}
}
