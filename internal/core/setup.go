package core

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
)

// This file holds what every provider package's NewClient does alike: the
// option loop, the environment fallback, the credential rule and the region
// rule. The provider packages' shared declarations (options, error and pager
// types) are generated from internal/cmd/gensurface; see its doc comment.

// Apply runs opts on o in order, skipping nil options, and returns the first
// error prefixed with "provider: ".
func Apply[O any, F ~func(*O) error](provider string, o *O, opts []F) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return PrefixError(provider, err)
		}
	}
	return nil
}

// Getenv returns the environment variable's value with surrounding white
// space (a trailing newline from a secrets file, say) removed. Every provider
// package reads its environment through it.
func Getenv(name string) string { return strings.TrimSpace(os.Getenv(name)) }

// EnvCredential returns the credential held by the environment variable
// name, trimmed, and "" when it is unset or blank. A value that breaks the
// credential rule (CheckToken) is an error naming the variable, never
// quoting the value.
func EnvCredential(provider, name, what string) (string, error) {
	v := Getenv(name)
	if v == "" {
		return "", nil
	}
	if err := CheckToken(what, v); err != nil {
		return "", fmt.Errorf("%s: %s: %w", provider, name, err)
	}
	return v, nil
}

// OptionCredential checks a credential given to a provider option (option
// is its name, "WithAPIKey"): the same rule as for the environment, so a key
// with a space or a control character is refused whichever way it comes.
func OptionCredential(provider, option, what, v string) error {
	if err := CheckToken(what, v); err != nil {
		return fmt.Errorf("%s: %s: %w", provider, option, err)
	}
	return nil
}

// EnvBaseURL sets the base URL from the environment variable name when
// WithBaseURL was not given and the variable is set. An invalid value is an
// error naming the variable.
func (s *Settings) EnvBaseURL(provider, name string, set func(*Settings, string) error) error {
	if s.baseSet || s.regionSet {
		return nil
	}
	v := Getenv(name)
	if v == "" {
		return nil
	}
	if set == nil {
		set = (*Settings).SetBaseURL
	}
	if err := set(s, v); err != nil {
		// Unwrapped: the problem is the variable, not WithBaseURL.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return fmt.Errorf("%s: %s: %w", provider, name, err)
	}
	return nil
}

// Regions maps region names, upper case ("US", "EU"), to API base URLs. Names
// are matched case-insensitively.
type Regions map[string]string

// BaseURL returns the base URL of the named region, "" for an unknown one.
func (r Regions) BaseURL(name string) string { return r[strings.ToUpper(name)] }

// SetRegion selects a region's base URL. Combined with SetBaseURL (in either
// order) it makes New fail: a region and an explicit base URL contradict
// each other, and letting the later one win hides the mistake.
func (s *Settings) SetRegion(regions Regions, name string) error {
	u := regions.BaseURL(name)
	if u == "" {
		names := make([]string, 0, len(regions))
		for n := range regions {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("WithRegion: unknown region %q (want one of %s, in any case)", name, strings.Join(names, ", "))
	}
	s.region = u
	s.regionSet = true
	return nil
}

// baseURL resolves the user's base URL: WithBaseURL, else the region's, else
// "" (the provider's default). Both given is an error.
func (s *Settings) baseURL() (string, error) {
	if s.baseSet && s.regionSet {
		return "", errors.New("use either WithBaseURL or WithRegion, not both")
	}
	if s.regionSet {
		return s.region, nil
	}
	return s.BaseURL, nil
}

// ResolvedBaseURL is the base URL New will use: WithBaseURL, else the
// region's, else def.
func (s *Settings) ResolvedBaseURL(def string) string {
	if u, err := s.baseURL(); err == nil && u != "" {
		return u
	}
	return def
}

// modulePath prefixes the packages whose per-package copies of a shared
// type ConvertAs fills.
const modulePath = "github.com/activitysdk/activity-go/"

// ConvertAs implements errors.As between the copies of one shared type that
// every provider package declares (workiva.ValidationError,
// activtrak.ValidationError, core.ValidationError: the same fields, so
// pointers to them convert). target must be a non-nil pointer to a pointer
// to such a type declared in this module; src is a pointer to another copy.
// The filled pointer shares src's memory.
func ConvertAs(src, target any) bool {
	tv := reflect.ValueOf(target)
	if !tv.IsValid() || tv.Kind() != reflect.Pointer || tv.IsNil() {
		return false
	}
	dst := tv.Elem()
	dt := dst.Type()
	if dt.Kind() != reflect.Pointer || !strings.HasPrefix(dt.Elem().PkgPath(), modulePath) {
		return false
	}
	sv := reflect.ValueOf(src)
	if !sv.IsValid() || sv.Kind() != reflect.Pointer || sv.IsNil() || !sv.Type().ConvertibleTo(dt) {
		return false
	}
	dst.Set(sv.Convert(dt))
	return true
}

// Credential is a provider's secret (an API key or token): given by the
// provider's option or, when the option is not used, read from its
// environment variable. One rule holds for both: CheckToken, plus the
// provider's own check when it has one.
type Credential struct {
	value string
	check func(string) error
}

// Set checks v and stores it; option names the option in the error
// ("analytics: WithToken: token is empty"). check, when not nil, adds the
// provider's own rule.
func (c *Credential) Set(provider, option, what, v string, check func(string) error) error {
	if err := checkCredential(what, v, check); err != nil {
		return fmt.Errorf("%s: %s: %w", provider, option, err)
	}
	c.value, c.check = v, check
	return nil
}

// Resolve returns the credential given by the option, else the one in the
// environment variable env (trimmed, checked as an option value would be),
// else an error saying "no credentials: <hint>".
func (c *Credential) Resolve(provider, env, what, hint string, check func(string) error) (string, error) {
	if c.value != "" {
		return c.value, nil
	}
	v := Getenv(env)
	if v == "" {
		return "", fmt.Errorf("%s: no credentials: %s", provider, hint)
	}
	if err := checkCredential(what, v, check); err != nil {
		return "", fmt.Errorf("%s: %s: %w", provider, env, err)
	}
	return v, nil
}

// IsSet reports whether the option gave a credential.
func (c *Credential) IsSet() bool { return c.value != "" }

func checkCredential(what, v string, check func(string) error) error {
	if err := CheckToken(what, v); err != nil {
		return err
	}
	if check != nil {
		return check(v)
	}
	return nil
}
