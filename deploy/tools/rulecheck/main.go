// Command rulecheck checks the alerting rules of PrometheusRule manifests with Prometheus' own rule
// parser (the one `promtool check rules` uses): PromQL syntax, durations, label and annotation
// templates. promtool itself takes minutes to build; this takes one.
//
//	rulecheck FILE...
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/prometheus/prometheus/model/rulefmt"
	"gopkg.in/yaml.v3"
)

func main() {
	failed := false
	for _, file := range os.Args[1:] {
		if err := check(file); err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
		}
	}
	if failed || len(os.Args) < 2 {
		os.Exit(1)
	}
}

func check(file string) error {
	content, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	decoder := yaml.NewDecoder(bytes.NewReader(content))
	rules := 0
	for {
		var doc struct {
			Kind string    `yaml:"kind"`
			Spec yaml.Node `yaml:"spec"`
		}
		if err := decoder.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if doc.Kind != "PrometheusRule" {
			continue
		}
		// A PrometheusRule's spec is a Prometheus rule file: {groups: [...]}.
		spec, err := yaml.Marshal(&doc.Spec)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		groups, errs := rulefmt.Parse(spec, false)
		if len(errs) > 0 {
			return fmt.Errorf("%s: %w", file, errors.Join(errs...))
		}
		for _, group := range groups.Groups {
			rules += len(group.Rules)
		}
	}
	if rules == 0 {
		return fmt.Errorf("%s: no PrometheusRule with rules", file)
	}
	fmt.Printf("%s: %d rules valid\n", file, rules)
	return nil
}
