package core

import (
	"bytes"
	"encoding/json"
	"strings"
)

// A MessageRule says how a provider turns one JSON value of an error body
// (an item of an "errors" list, an "error" member) into text. Whatever the
// rule, a JSON string is its text as is, null or nothing is "", and a value
// the rule finds no text in is its compact JSON text (JSONText).
type MessageRule struct {
	// Keys name the object members that carry an object's message, tried in
	// order; the first with a non-empty text is the object's text. Where an
	// object repeats a member, the last one counts (as encoding/json does).
	Keys []string
	// Nested reads those members, and the items of a list, by the same rule,
	// a list giving its items' non-empty texts joined with "; ". Without
	// Nested a member counts only when it is a JSON string, and a list is its
	// JSON text.
	Nested bool
	// FoldCase matches Keys case-insensitively, the way encoding/json matches
	// a struct's fields ("Message" for "message").
	FoldCase bool
}

// Text is raw's text under the rule.
func (r MessageRule) Text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	switch raw[0] {
	case '{':
		members := objectMembers(raw)
		for _, k := range r.Keys {
			if v, ok := r.member(members, k); ok {
				if m := r.memberText(v); m != "" {
					return m
				}
			}
		}
	case '[':
		var list []json.RawMessage
		if r.Nested && json.Unmarshal(raw, &list) == nil {
			var parts []string
			for _, item := range list {
				if m := r.Text(item); m != "" {
					parts = append(parts, m)
				}
			}
			return strings.Join(parts, "; ")
		}
	}
	return JSONText(raw)
}

// memberText is the text an object's message member gives.
func (r MessageRule) memberText(v json.RawMessage) string {
	if r.Nested {
		return r.Text(v)
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// member is the value of the last member named key (folded when the rule
// says so).
func (r MessageRule) member(members []objectMember, key string) (json.RawMessage, bool) {
	for i := len(members) - 1; i >= 0; i-- {
		name := members[i].name
		if name == key || r.FoldCase && strings.EqualFold(name, key) {
			return members[i].value, true
		}
	}
	return nil, false
}

type objectMember struct {
	name  string
	value json.RawMessage
}

// objectMembers lists a JSON object's members in their order; nil when raw
// is not a well-formed object.
func objectMembers(raw json.RawMessage) []objectMember {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []objectMember
	for dec.More() {
		t, err := dec.Token()
		name, ok := t.(string)
		if err != nil || !ok {
			return nil
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return nil
		}
		out = append(out, objectMember{name, v})
	}
	return out
}
