package sdelementstest

import (
	"encoding/json"
	"strings"
)

// shape is a request's include, exclude and expand lists, as SD Elements
// documents them for API v2: comma-separated field names.
//
// What the fake does with them on activities (the documentation names no
// activity fields for them): exclude removes any top-level field; expand
// "actor", the activity's one id field, replaces the actor's id with the user
// object (id, email, first_name, last_name), as expand does for ids
// elsewhere in API v2. include adds nothing, since no include field is
// documented for activities. Names it does not know are ignored, as DRF
// ignores fields it does not know. A name that is not a field name (letters, digits,
// underscores, dots between nested names) is a 400 keyed by the parameter.
type shape struct {
	include, exclude, expand map[string]bool
}

func parseShape(q map[string][]string) (shape, map[string][]string) {
	var sh shape
	var errs map[string][]string
	read := func(key string) map[string]bool {
		vals, ok := q[key]
		if !ok {
			return nil
		}
		out := map[string]bool{}
		for _, v := range vals {
			for _, name := range strings.Split(v, ",") {
				if !fieldName(name) {
					if errs == nil {
						errs = map[string][]string{}
					}
					errs[key] = append(errs[key], "Invalid field name: \""+name+"\".")
					continue
				}
				out[name] = true
			}
		}
		return out
	}
	sh.include, sh.exclude, sh.expand = read("include"), read("exclude"), read("expand")
	return sh, errs
}

func fieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" || part[0] >= '0' && part[0] <= '9' {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

func (sh shape) empty() bool {
	return len(sh.include) == 0 && len(sh.exclude) == 0 && len(sh.expand) == 0
}

// apply reshapes one activity's JSON.
func (sh shape) apply(b []byte) []byte {
	if sh.empty() {
		return b
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	var actor *int64
	_ = json.Unmarshal(m["actor"], &actor)
	if sh.expand["actor"] && actor != nil {
		first, last := userNames(*actor)
		m["actor"], _ = json.Marshal(map[string]any{"id": *actor, "email": userEmail(*actor),
			"first_name": first, "last_name": last})
	}
	for k := range sh.exclude {
		delete(m, k)
	}
	out, err := json.Marshal(m)
	if err != nil {
		return b
	}
	return out
}

// userNames splits user id's display name into first and last name.
func userNames(id int64) (string, string) {
	if id < 1 || int(id) > len(users) {
		return "", ""
	}
	first, last, _ := strings.Cut(users[id-1], " ")
	return first, last
}

// userEmail is user id's synthetic address.
func userEmail(id int64) string {
	first, last := userNames(id)
	return strings.ToLower(first + "." + last + "@example.com")
}
