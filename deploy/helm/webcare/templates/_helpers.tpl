{{/* Names, labels and the pod pieces every service and the migrations share. */}}

{{- define "webcare.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "webcare.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of one service's objects: <fullname>-<service>. Takes (dict "root" $ "name" $name). */}}
{{- define "webcare.componentName" -}}
{{- printf "%s-%s" (include "webcare.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "webcare.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one component. Takes (dict "root" $ "name" $name). */}}
{{- define "webcare.selectorLabels" -}}
app.kubernetes.io/name: {{ include "webcare.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* All labels of one component's objects. Takes (dict "root" $ "name" $name). */}}
{{- define "webcare.labels" -}}
helm.sh/chart: {{ include "webcare.chart" .root }}
{{ include "webcare.selectorLabels" . }}
app.kubernetes.io/part-of: webcare
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "webcare.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "webcare.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "webcare.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* KEDA's SASL mode for Kafka's mechanism name. */}}
{{- define "webcare.kedaSasl" -}}
{{- $modes := dict "PLAIN" "plaintext" "SCRAM-SHA-256" "scram_sha256" "SCRAM-SHA-512" "scram_sha512" -}}
{{- get $modes .Values.kafka.sasl.mechanism -}}
{{- end -}}

{{- define "webcare.kafkaSasl" -}}
{{- has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") -}}
{{- end -}}

{{- define "webcare.kafkaTls" -}}
{{- has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") -}}
{{- end -}}

{{/* The WEBCARE_DATABASE_URL env entry (and the password it needs). Takes (dict "root" $ "svc" $svc). */}}
{{- define "webcare.databaseEnv" -}}
{{- $db := .root.Values.database -}}
{{- if .svc.databaseUrlSecret.name }}
- name: WEBCARE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .svc.databaseUrlSecret.name }}
      key: {{ .svc.databaseUrlSecret.key }}
{{- else if $db.urlSecret.name }}
- name: WEBCARE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $db.urlSecret.name }}
      key: {{ $db.urlSecret.key }}
{{- else }}
{{- $host := required "set database.urlSecret.name or database.host" $db.host }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "database.passwordSecret.name is required with database.host" $db.passwordSecret.name }}
      key: {{ $db.passwordSecret.key }}
- name: WEBCARE_DATABASE_URL
  value: {{ printf "%s://%s:$(DATABASE_PASSWORD)@%s:%v/%s%s" $db.driver $db.user $host $db.port $db.name (ternary (printf "?%s" $db.params) "" (ne $db.params "")) | quote }}
{{- end }}
{{- end -}}

{{/* Environment of a webcare container: the chart's settings, then config.extraEnv, then the
     service's env; a later entry replaces an earlier one of the same name. Takes (dict "root" $ "svc" $svc). */}}
{{- define "webcare.env" -}}
{{- $svcEnv := .svc.env | default list -}}
{{- $svcNames := list -}}
{{- range $svcEnv -}}
{{- $svcNames = append $svcNames .name -}}
{{- end -}}
{{- $extra := list -}}
{{- range (.root.Values.config.extraEnv | default list) -}}
{{- if not (has .name $svcNames) -}}
{{- $extra = append $extra . -}}
{{- end -}}
{{- end -}}
{{- $added := concat $extra $svcEnv -}}
{{- $names := list -}}
{{- range $added -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- $env := list -}}
{{- range (include "webcare.baseEnv" . | fromYamlArray) -}}
{{- if not (has .name $names) -}}
{{- $env = append $env . -}}
{{- end -}}
{{- end -}}
{{- toYaml (concat $env $added) -}}
{{- end -}}

{{- define "webcare.baseEnv" -}}
{{- $v := .root.Values -}}
- name: WEBCARE_ENVIRONMENT
  value: {{ $v.config.environment | quote }}
- name: WEBCARE_HOST
  value: "0.0.0.0"
- name: WEBCARE_PORT
  value: {{ $v.containerPort | int64 | quote }}
- name: WEBCARE_BUS
  value: kafka
- name: WEBCARE_TENANT
  value: {{ $v.config.tenant | quote }}
- name: WEBCARE_LOG_LEVEL
  value: {{ $v.config.logLevel | quote }}
- name: WEBCARE_MAX_BODY_BYTES
  value: {{ $v.config.maxBodyBytes | int64 | quote }}
- name: WEBCARE_ADMIN_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "adminApiKey.existingSecret is required" $v.adminApiKey.existingSecret }}
      key: {{ $v.adminApiKey.key }}
{{- if has (.name | default "") (list "ingest" "reply" "routing") }}
- name: WEBCARE_SECRETS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.secretsKey.existingSecret | default $v.adminApiKey.existingSecret }}
      key: {{ $v.secretsKey.key }}
{{- end }}
- name: WEBCARE_KAFKA_BOOTSTRAP
  value: {{ required "kafka.bootstrapServers is required" $v.kafka.bootstrapServers | quote }}
- name: WEBCARE_KAFKA_PARTITIONS
  value: {{ $v.kafka.topics.partitions | int64 | quote }}
- name: WEBCARE_KAFKA_REPLICATION_FACTOR
  value: {{ $v.kafka.topics.replicationFactor | int64 | quote }}
- name: WEBCARE_KAFKA_SECURITY_PROTOCOL
  value: {{ $v.kafka.securityProtocol | quote }}
{{- if eq (include "webcare.kafkaSasl" .root) "true" }}
- name: WEBCARE_KAFKA_SASL_MECHANISM
  value: {{ required "kafka.sasl.mechanism is required with SASL" $v.kafka.sasl.mechanism | quote }}
- name: WEBCARE_KAFKA_SASL_USERNAME
  value: {{ required "kafka.sasl.username is required with SASL" $v.kafka.sasl.username | quote }}
- name: WEBCARE_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.passwordSecret.name is required with SASL" $v.kafka.sasl.passwordSecret.name }}
      key: {{ $v.kafka.sasl.passwordSecret.key }}
{{- end }}
{{- if and (eq (include "webcare.kafkaTls" .root) "true") $v.kafka.tls.caSecret.name }}
- name: WEBCARE_KAFKA_SSL_CAFILE
  value: /etc/webcare/kafka-ca/ca.crt
{{- end }}
{{- include "webcare.databaseEnv" . }}
- name: WEBCARE_DATABASE_POOL_SIZE
  value: {{ $v.database.poolSize | int64 | quote }}
{{- with $v.config.otlpEndpoint }}
- name: WEBCARE_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Volumes of a webcare pod: /tmp, and the Kafka CA when TLS has one. */}}
{{- define "webcare.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- if and (eq (include "webcare.kafkaTls" .) "true") .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: ca.crt
{{- end }}
{{- end -}}

{{- define "webcare.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and (eq (include "webcare.kafkaTls" .) "true") .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/webcare/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* Checks across values that a JSON schema cannot express. */}}
{{- define "webcare.validate" -}}
{{- $partitions := int .Values.kafka.topics.partitions -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.enabled -}}
{{- if and $svc.hpa.enabled (gt (int $svc.hpa.minReplicas) (int $svc.hpa.maxReplicas)) -}}
{{- fail (printf "services.%s.hpa: minReplicas %v exceeds maxReplicas %v" $name $svc.hpa.minReplicas $svc.hpa.maxReplicas) -}}
{{- end -}}
{{- if and $.Values.keda.enabled $svc.keda.enabled -}}
{{- if not $svc.keda.triggers -}}
{{- fail (printf "services.%s.keda: enabled without triggers (it consumes no topic)" $name) -}}
{{- end -}}
{{- if gt (int $svc.keda.maxReplicas) $partitions -}}
{{- fail (printf "services.%s.keda.maxReplicas %v exceeds kafka.topics.partitions %v: the extra consumers would sit idle" $name $svc.keda.maxReplicas $partitions) -}}
{{- end -}}
{{- if gt (int $svc.keda.minReplicas) (int $svc.keda.maxReplicas) -}}
{{- fail (printf "services.%s.keda: minReplicas %v exceeds maxReplicas %v" $name $svc.keda.minReplicas $svc.keda.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.secretName is required when ingress.tls.enabled" -}}
{{- end -}}
{{- end -}}

{{/* Whether a service gets a KEDA ScaledObject (then no HPA). Takes (dict "root" $ "svc" $svc). */}}
{{- define "webcare.usesKeda" -}}
{{- and .root.Values.keda.enabled .svc.keda.enabled (gt (len .svc.keda.triggers) 0) -}}
{{- end -}}

{{/* Whether a service's replica count is managed by an autoscaler. */}}
{{- define "webcare.autoscaled" -}}
{{- or (eq (include "webcare.usesKeda" .) "true") .svc.hpa.enabled -}}
{{- end -}}
