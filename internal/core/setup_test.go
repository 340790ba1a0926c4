package core

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplyRunsOptionsInOrderAndNamesTheProvider(t *testing.T) {
	t.Parallel()
	type opts struct{ seen []int }
	type option func(*opts) error
	add := func(n int) option { return func(o *opts) error { o.seen = append(o.seen, n); return nil } }
	var o opts
	require.NoError(t, Apply("p", &o, []option{add(1), nil, add(2)}))
	assert.Equal(t, []int{1, 2}, o.seen)

	fail := func(msg string) option { return func(*opts) error { return errors.New(msg) } }
	err := Apply("p", &o, []option{fail("WithX: bad"), add(3)})
	require.EqualError(t, err, "p: WithX: bad")
	assert.Equal(t, []int{1, 2}, o.seen, "options after a failing one do not run")
	require.EqualError(t, Apply("p", &o, []option{fail("p: WithY: bad")}), "p: WithY: bad", "not prefixed twice")
}

func TestCredentialOneRuleForOptionAndEnvironment(t *testing.T) {
	const env = "ACTIVITY_GO_CORE_TEST_KEY"
	noColon := func(v string) error {
		if v == "a:b" {
			return errors.New("key must not contain ':'")
		}
		return nil
	}
	for _, tc := range []struct {
		value, problem string
	}{
		{"", "key is empty"},
		{" ", "key must not contain spaces or control characters"},
		{"a b", "key must not contain spaces or control characters"},
		{"a\tb", "key must not contain spaces or control characters"},
		{"a\x00b", "key must not contain spaces or control characters"},
		{"a\x7fb", "key must not contain spaces or control characters"},
		{"a:b", "key must not contain ':'"},
	} {
		var c Credential
		err := c.Set("p", "WithKey", "key", tc.value, noColon)
		require.EqualError(t, err, "p: WithKey: "+tc.problem, "option %q", tc.value)
		assert.False(t, c.IsSet())
		if tc.value == "" || tc.value == " " || strings.ContainsRune(tc.value, 0) {
			continue // blank in the environment means unset; NUL cannot be set
		}
		t.Setenv(env, " "+tc.value+"\n")
		_, err = c.Resolve("p", env, "key", "use WithKey or set "+env, noColon)
		require.EqualError(t, err, "p: "+env+": "+tc.problem, "env %q", tc.value)
	}

	// The environment is trimmed; the option is not, and wins.
	t.Setenv(env, "\t env-key-1 \n")
	var c Credential
	got, err := c.Resolve("p", env, "key", "hint", nil)
	require.NoError(t, err)
	assert.Equal(t, "env-key-1", got)
	require.NoError(t, c.Set("p", "WithKey", "key", "opt-key-1", nil))
	got, err = c.Resolve("p", env, "key", "hint", nil)
	require.NoError(t, err)
	assert.Equal(t, "opt-key-1", got)

	t.Setenv(env, "  ")
	_, err = (&Credential{}).Resolve("p", env, "key", "use WithKey or set "+env, nil)
	require.EqualError(t, err, "p: no credentials: use WithKey or set "+env)
}

func TestRegionsAreCaseInsensitiveAndExclusiveWithBaseURL(t *testing.T) {
	t.Parallel()
	regions := Regions{"US": "https://us.example.com", "EU": "https://eu.example.com"}
	assert.Equal(t, "https://eu.example.com", regions.BaseURL("eu"))
	assert.Equal(t, "https://eu.example.com", regions.BaseURL("Eu"))
	assert.Equal(t, "", regions.BaseURL("mars"))

	var s Settings
	require.EqualError(t, s.SetRegion(regions, "mars"), `WithRegion: unknown region "mars" (want one of EU, US, in any case)`)
	require.NoError(t, s.SetRegion(regions, "eu"))
	c, err := New(Config{Provider: "p", Settings: s, DefaultBaseURL: "https://default.example.com"})
	require.NoError(t, err)
	assert.Equal(t, "https://eu.example.com", c.BaseURL().String())

	for _, order := range []string{"region first", "base URL first"} {
		var s Settings
		if order == "region first" {
			require.NoError(t, s.SetRegion(regions, "US"))
			require.NoError(t, s.SetBaseURL("https://proxy.example.com"))
		} else {
			require.NoError(t, s.SetBaseURL("https://proxy.example.com"))
			require.NoError(t, s.SetRegion(regions, "US"))
		}
		_, err := New(Config{Provider: "p", Settings: s, DefaultBaseURL: "https://default.example.com"})
		require.EqualError(t, err, "p: use either WithBaseURL or WithRegion, not both", order)
	}
}

func TestEnvBaseURL(t *testing.T) {
	const env = "ACTIVITY_GO_CORE_TEST_BASE_URL"
	t.Setenv(env, " https://env.example.com/v2 \n")
	var s Settings
	require.NoError(t, s.EnvBaseURL("p", env, nil))
	assert.Equal(t, "https://env.example.com/v2", s.BaseURL)

	var given Settings
	require.NoError(t, given.SetBaseURL("https://given.example.com"))
	require.NoError(t, given.EnvBaseURL("p", env, nil))
	assert.Equal(t, "https://given.example.com", given.BaseURL, "the option wins")

	t.Setenv(env, "http://env.example.com")
	err := (&Settings{}).EnvBaseURL("p", env, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "p: "+env+": base URL")
	assert.NotContains(t, err.Error(), "WithBaseURL")
}

// copyOfValidationError stands for a provider package's ValidationError: the
// same fields, declared in another package of the module (here, this one).
type copyOfValidationError ValidationError

func (e *copyOfValidationError) Error() string { return (*ValidationError)(e).Error() }

func TestConvertAs(t *testing.T) {
	t.Parallel()
	ve := Invalid("p", "Params", "PageSize", "must be positive")
	wrapped := fmt.Errorf("walk: %w", ve)

	var cp *copyOfValidationError
	require.True(t, errors.As(wrapped, &cp))
	assert.Equal(t, "PageSize", cp.Field)
	cp.Problem = "changed"
	assert.Equal(t, "changed", ve.Problem, "the filled pointer shares the error's memory")

	var other *RequestError
	assert.False(t, errors.As(wrapped, &other))
	assert.False(t, ConvertAs(ve, nil))
	assert.False(t, ConvertAs(ve, cp))
	var notOurs *struct{ Provider, Params, Field, Problem string }
	assert.False(t, ConvertAs(ve, &notOurs), "only this module's types are filled")

	pte := PageTokenError(Invalid("p", "Params", "PageToken", "foreign"), ErrForeignLink)
	assert.True(t, errors.Is(pte, ErrForeignLink))
	require.True(t, errors.As(pte, &cp))
	assert.Equal(t, "PageToken", cp.Field)
	assert.Equal(t, "p: Params.PageToken: foreign", pte.Error())
}
