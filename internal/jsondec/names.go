package jsondec

import (
	"reflect"
	"strings"
)

// JSONNames returns the names encoding/json decodes into values of type t
// (a struct): the json tag's name or the field name of every exported
// field, through embedded structs, an outer name hiding an inner one. For
// tests that hold a fast decoder's names to its model.
func JSONNames(t reflect.Type) []string {
	var names []string
	seen := map[string]bool{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		var embedded []reflect.Type
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				embedded = append(embedded, f.Type)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
		for _, e := range embedded {
			walk(e, depth+1)
		}
	}
	walk(t, 0)
	return names
}
