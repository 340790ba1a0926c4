package jsondec

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// Names is the table of member names one object type is read with (see
// Members): first the members whose values are strings, which Members reads
// itself, then the others, which it hands to the caller by index. Build it
// once, at package initialization, with NewNames or NewOnlyNames.
type Names struct {
	names   []string
	strings int  // names[:strings] are the string members
	only    bool // a member of another name fails

	// The lookup, a perfect hash of the names of 16 bytes or less (longer
	// ones: see indexSlow), in arrays of the table's own (no pointer to
	// follow): slots[hash(k)] is the index + 1 of the one name that can be
	// k (0: none), words[i+1] name i's words (words[0], zero, matches no
	// key).
	seed  uint64
	shift uint
	slots [maxSlots]uint8
	words [maxNames + 1]nameWords
}

// nameWords is a name's first 16 bytes as two little-endian words, zero
// past its end: compared with a key's in a few instructions, where
// comparing strings is a call.
type nameWords struct{ w0, w1 uint64 }

const (
	maxNames = 64   // a Members' seen mask has 64 bits
	maxSlots = 1024 // a power of two, room for 64 names without collisions
)

// hash is the slot of a name's words under the table's seed: the top bits
// of a multiplication.
func (n *Names) hash(w0, w1 uint64) uint {
	return uint(((w0^w1*0x9e3779b97f4a7c15)*n.seed)>>n.shift) & (maxSlots - 1)
}

// perfect finds a seed and a number of slots (a power of two, as few as it
// can try in a few hundred seeds) under which the names of 16 bytes or less
// have slots of their own.
func (n *Names) perfect() {
	var short []int // the names to hash, by index + 1
	for i, s := range n.names {
		if len(s) <= 16 {
			short = append(short, i+1)
		}
	}
	seed := uint64(0x2545f4914f6cdd1d)
	for b := bits.Len(uint(len(short))) + 1; b <= 10; b++ {
		n.shift = uint(64 - b)
		for range 300 {
			seed = seed*6364136223846793005 + 1442695040888963407 // a step of an LCG
			n.seed = seed | 1
			k := 0
			for ; k < len(short); k++ {
				w := &n.words[short[k]]
				h := n.hash(w.w0, w.w1)
				if n.slots[h] != 0 {
					break
				}
				n.slots[h] = uint8(short[k])
			}
			if k == len(short) {
				return
			}
			for _, i := range short[:k] { // undo
				w := &n.words[i]
				n.slots[n.hash(w.w0, w.w1)] = 0
			}
		}
	}
	// Not met with 64 names or less (two names would need the same
	// w0^w1*K, for every seed): a table that did would panic at package
	// initialization, in every test.
	panic("jsondec: no perfect hash for the names")
}

// NewNames returns the table of an object type's member names: strings are
// the members read as strings, others the rest, numbered from 0 in this
// order. A member of another name is skipped, unless it equals one of these
// names under encoding/json's case folding (encoding/json would read it into
// that field): the fast path fails. Names must be distinct, non-empty, 64 at
// most; NewNames panics otherwise.
func NewNames(strings []string, others ...string) *Names {
	n := &Names{names: append(append([]string(nil), strings...), others...), strings: len(strings)}
	if len(n.names) > maxNames {
		panic(fmt.Sprintf("jsondec: %d names, more than %d", len(n.names), maxNames))
	}
	for i, s := range n.names {
		if s == "" {
			panic("jsondec: an empty name")
		}
		for _, t := range n.names[:i] {
			if s == t {
				panic("jsondec: name " + s + " twice")
			}
		}
		w0, w1 := words([]byte(s))
		n.words[i+1] = nameWords{w0, w1}
	}
	n.perfect()
	return n
}

// NewOnlyNames is NewNames for an object read on the fast path only when it
// has no member of another name (its model has fields the fast path does not
// read): any other member fails.
func NewOnlyNames(strings []string, others ...string) *Names {
	n := NewNames(strings, others...)
	n.only = true
	return n
}

// Names returns every name of the table, strings first.
func (n *Names) Names() []string { return append([]string(nil), n.names...) }

// words returns the first 16 bytes of k as two little-endian words, zero
// past len(k).
func words(k []byte) (w0, w1 uint64) {
	var b [16]byte
	copy(b[:], k)
	return binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
}

// key is Key, and with a table n the name's index in it (-1: none, or n is
// nil), looked up here where the name's bytes are at hand: one call less
// per member for Next. Names of 16 bytes or less are found by a perfect
// hash of their words, longer ones by indexSlow.
func (d *Decoder) key(n *Names) ([]byte, int) {
	if d.bad || d.peek() != '"' {
		d.bad = true
		return nil, -1
	}
	start := d.i + 1
	j := plainRun(d.b, start)
	for j < len(d.b) {
		c := d.b[j]
		if c == '"' {
			break
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			// Escapes and non-ASCII names are left to encoding/json
			// (they may fold to a field name).
			d.bad = true
			return nil, -1
		}
		j++
	}
	if j >= len(d.b) {
		d.bad = true
		return nil, -1
	}
	key := d.b[start:j]
	d.i = j + 1
	if d.peek() != ':' {
		d.bad = true
		return nil, -1
	}
	d.i++
	if n == nil {
		return key, -1
	}
	l := len(key)
	if uint(l)-1 >= 16 || cap(key) < 16 {
		return key, n.indexSlow(key)
	}
	// The lookup. A key is a slice of the document: the bytes past it up
	// to its capacity are the document's, read here and masked off.
	m := &wordMasks[l]
	w0, w1 := binary.LittleEndian.Uint64(key[:8])&m.w0, binary.LittleEndian.Uint64(key[8:16])&m.w1
	i := n.slots[n.hash(w0, w1)]
	// A key has no NUL byte (control characters fail above): equal words
	// with zeros past the end are equal names.
	if w := &n.words[i]; w.w0 != w0 || w.w1 != w1 {
		return key, -1
	}
	return key, int(i) - 1
}

// wordMasks[l] keeps the first l bytes of two little-endian words.
var wordMasks = func() (m [17]nameWords) {
	for l := range m {
		var b [16]byte
		for i := range min(l, 16) {
			b[i] = 0xff
		}
		m[l] = nameWords{binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])}
	}
	return m
}()

// indexSlow is the lookup of key for an empty key, one longer than 16 bytes
// or one near the end of the document.
func (n *Names) indexSlow(k []byte) int {
	for i, s := range n.names {
		if s == string(k) {
			return i
		}
	}
	return -1
}

// Members reads the members of one object against a Names table: a loop
//
//	m := d.Members(names, &v.A, &v.B)
//	for d.Next(&m) {
//		switch m.Index() {
//		case 0: // the first of the other names
//			...
//		}
//	}
//
// where each case reads the member's value. (It holds no Decoder: the
// targets then stay where their owner has them, on its stack often.)
type Members struct {
	n    *Names // nil for null: no members
	strs []*string
	seen uint64
	i    int
}

// Members starts reading an object whose member names are n; null is read
// as an object without members, another value fails. strs are where the
// values of n's string members go, in n's order (null leaves a target as it
// is, as encoding/json does); Members panics if they are not as many.
func (d *Decoder) Members(n *Names, strs ...*string) Members {
	if len(strs) != n.strings {
		badTargets(len(strs), n.strings)
	}
	if d.mayBeNull() && d.Null() {
		return Members{}
	}
	d.Object()
	return Members{n: n, strs: strs}
}

func badTargets(got, want int) {
	panic(fmt.Sprintf("jsondec: %d string targets for %d string names", got, want))
}

// Next reads m's object up to the next member of one of the other names
// (string members are read, members of names not in the table skipped or
// failed on the way) and reports whether there is one; its value is the
// caller's to read, before the next call. A name seen twice fails
// (encoding/json would merge the two values). After a failure Next returns
// false.
func (d *Decoder) Next(m *Members) bool {
	return d.member(m)
}

// member is Next (which inlines, a call less per member): it reads m's
// members, the string ones into their targets, up to one of the other
// names, sets m.i and reports true; false at the object's end or on a
// failure.
func (d *Decoder) member(m *Members) bool {
	n, strs, s := m.n, m.strs, m.seen // locals: kept in registers across the calls
	if n == nil {
		return false
	}
	for d.More() {
		k, i := d.key(n)
		if d.bad {
			return false
		}
		if i < 0 {
			if n.only {
				d.bad = true
				return false
			}
			d.Unknown(k, n.names...)
			continue
		}
		if s&(1<<i) != 0 {
			d.bad = true
			return false
		}
		s |= 1 << i
		if i < len(strs) {
			d.StringOrNull(strs[i])
			continue
		}
		m.i, m.seen = i-len(strs), s
		return true
	}
	return false
}

// Index is the member Next stopped at: its index among the table's other
// names, from 0.
func (m *Members) Index() int { return m.i }

// StringMembers reads an object whose members of interest are all strings
// (n has no other names; it panics otherwise) into strs: Members with
// nothing left for the caller.
func (d *Decoder) StringMembers(n *Names, strs ...*string) {
	if n.strings != len(n.names) {
		panic("jsondec: StringMembers with names that are not all strings")
	}
	if len(strs) != n.strings {
		badTargets(len(strs), n.strings)
	}
	if d.mayBeNull() && d.Null() || !d.Object() {
		return
	}
	m := Members{n: n, strs: strs}
	d.member(&m)
}

// Items reads the items of a page, an array (null: nil), appending each to
// items as a zero T that item reads; each starts a new item (see Item).
func Items[T any](d *Decoder, items []T, item func(*T)) []T {
	if d.mayBeNull() && d.Null() || !d.Array() {
		return nil
	}
	for d.More() {
		items = appendZero(items)
		d.Item()
		item(&items[len(items)-1])
	}
	return items
}

// appendZero appends a zero T to s: with room, cleared in place (append(s,
// *new(T)) copies a zero T from the stack), else by append.
func appendZero[T any](s []T) []T {
	if len(s) < cap(s) {
		s = s[:len(s)+1]
		clear(s[len(s)-1:])
		return s
	}
	return append(s, *new(T))
}

// List reads an array within an item (null: nil), each element as a zero T
// that elem reads, into *scratch (kept from list to list), and returns a
// copy exactly its length: one allocation of the item's own.
func List[T any](d *Decoder, scratch *[]T, elem func(*T)) []T {
	if d.mayBeNull() && d.Null() || !d.Array() {
		return nil
	}
	l := (*scratch)[:0]
	for d.More() {
		l = appendZero(l)
		elem(&l[len(l)-1])
	}
	*scratch = l
	return append(make([]T, 0, len(l)), l...)
}

// Page reads a list answer: an object whose member names' first other name
// holds the page's items (Items; null: none) and whose second holds the page
// token (a string in an allocation of its own, hasToken false for null).
// names has no strings; its other members are skipped. A page that is not an
// object fails, null included (encoding/json reads null as an empty page,
// the slow path does it).
func Page[T any](d *Decoder, names *Names, items []T, item func(*T)) (list []T, token string, hasToken bool) {
	if d.Null() {
		d.bad = true
		return nil, "", false
	}
	list = items
	m := d.Members(names)
	for d.Next(&m) {
		switch m.Index() {
		case 0:
			if !d.Null() {
				list = Items(d, items, item)
			}
		case 1:
			token, hasToken = d.OwnStringOrNull()
		}
	}
	return list, token, hasToken
}
