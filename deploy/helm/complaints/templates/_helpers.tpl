{{/* Room for "-notification" within Kubernetes' 63 characters. */}}
{{- define "complaints.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one service's objects. Call with (dict "root" $ "name" $name). */}}
{{- define "complaints.name" -}}
{{- printf "%s-%s" (include "complaints.fullname" .root) .name -}}
{{- end -}}

{{- define "complaints.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "complaints.labels" -}}
{{ include "complaints.selectorLabels" . }}
app.kubernetes.io/part-of: complaints
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "complaints.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "complaints.fullname" .)) -}}
{{- end -}}

{{- define "complaints.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "complaints.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "complaints.image" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $svc.image | default (printf "%s/%s:%s" .root.Values.image.repository .name (.root.Values.image.tag | default .root.Chart.AppVersion)) -}}
{{- end -}}

{{/*
The ConfigMap data of one service: everything it reads except what comes from the Secret.
Its hash goes on the pod template, so a change rolls the pods.
*/}}
{{- define "complaints.config" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values.services .name -}}
HOST: "0.0.0.0"
HTTP_PORT: {{ $svc.httpPort | quote }}
{{- if $svc.grpcPort }}
GRPC_PORT: {{ $svc.grpcPort | quote }}
{{- end }}
{{- if has "mongodb" $svc.uses }}
MONGO_DB: {{ $svc.mongoDb | quote }}
{{- end }}
{{- if has "temporal" $svc.uses }}
TEMPORAL_ADDRESS: {{ $root.Values.temporal.address | quote }}
TEMPORAL_NAMESPACE: {{ $root.Values.temporal.namespace | quote }}
{{- end }}
{{- range $callee := $svc.calls }}
{{- $target := index $root.Values.services $callee | default dict }}
{{- if not (and $target.enabled $target.grpcPort) }}
{{- fail (printf "services.%s.calls names %s, which is not an enabled service with a grpcPort" $.name $callee) }}
{{- end }}
{{ upper $callee }}_GRPC_URL: {{ printf "%s:%v" (include "complaints.name" (dict "root" $root "name" $callee)) $target.grpcPort | quote }}
{{- end }}
LOG_LEVEL: {{ $root.Values.telemetry.logLevel | quote }}
OTEL_SERVICE_NAME: {{ printf "complaints-%s" .name | quote }}
{{- with $root.Values.telemetry.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ $root.Values.telemetry.otlpProtocol | quote }}
{{- end }}
{{- range $key, $value := $svc.env }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}
