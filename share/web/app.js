/* Trygg's web app (trygg serve): the page a planner uses to build arms of measures, see the
 * plan, run and read the comparison. Vanilla JavaScript, no build step, nothing from the network
 * but the server it came from (docs/app.md is the API). Every visible text comes from the
 * catalogue of the page's language (GET /api/text/sv or /api/text/en, share/text/*.json, keys
 * under "app."); JavaScript holds keys, never sentences.
 *
 * Stable element ids (tests/app/browser_app.py uses them):
 *   lang-sv, lang-en                   language switch buttons (aria-pressed)
 *   error                              alert region: the server's error text, verbatim
 *   scenario-select                    the shipped scenario (option values: scenario ids)
 *   scenario-info                      its name, description and districts
 *   data-file, data-status, data-reset the municipality's own district data file
 *   add-arm                            adds an arm; arms are numbered N = 1, 2, ... (never reused)
 *   import-arms                        adds the chosen scenario's own arms (editable copies)
 *   arm-N                              the arm's box;  arm-N-remove  its remove button
 *   arm-N-key, arm-N-label             its key ([a-z0-9_]) and label
 *   arm-N-measure-KIND                 checkbox: the arm includes measure KIND (est, sspf, ...)
 *   arm-N-KIND-FIELD                   the input of one setting (e.g. arm-1-est-capacity)
 *   arm-N-KIND-map                     the schematic map (SVG) of the measure's districts
 *   arm-N-KIND-district-NAME           a district's node on that map (click toggles it); NAME is
 *                                      the district name with every run of characters other
 *                                      than letters, digits, - and _ made one _
 *                                      (e.g. arm-1-est-district-Navestad)
 *   arm-N-KIND-check-NAME              the same choice as a checkbox (keyboard, screen readers)
 *   replicates, scale                  runs per arm (per parameter set), population scale
 *   uncertainty-chance, uncertainty-parameters   replicates only, or a parameter ensemble
 *   parameter-sets, draws              the ensemble's table of accepted sets and sets drawn
 *   plan-button, plan-result           POST /api/plan and what it says (data-fits="true|false")
 *   run-button, run-box, progress, progress-text, cancel-button
 *                                      the job: <progress> value = fraction; progress-text
 *                                      carries data-status (queued ... cancelled)
 *   step-results, comparison           the results; one table per arm: comparison-ARMKEY
 *   download-yaml, download-result, download-report, report (the report's iframe)
 * The page sets window.tryggApp = {ready, job, status, seen} for tests: ready once the texts,
 * the scenarios and the schema are loaded; job the last job's id, status its status, seen every
 * status answer shown ({status, fraction, runs_done, runs_total}).
 */
'use strict';

(function () {
  const LANGUAGES = ['sv', 'en'];
  const LOCALES = {sv: 'sv-SE', en: 'en-GB'};
  const POLL_MS = 1000;
  const BASIC_FIELDS = ['start', 'end', 'capacity', 'coordinator_fte', 'fixed_cost_sek_per_year',
    'cost_per_unit_sek'];
  const KEY_PATTERN = /^[a-z0-9_]+$/;

  const token = new URLSearchParams(window.location.search).get('token');
  const state = {
    lang: 'sv',
    texts: {},          // language -> catalogue
    scenarios: [],
    schema: null,
    measures: {},       // kind -> {description, fields: {name: schema}}
    scenario: null,     // the chosen scenario
    data: null,         // {path, districts, file} of an uploaded district data file
    arms: [],           // [{n, key, label, measures: {kind: {on, values: {}, districts: Set}}}]
    nextArm: 1,
    replicates: '',
    scale: '',
    ensemble: false,    // a parameter ensemble (?parameter_sets=&draws=) instead of replicates only
    parameterSets: [],  // GET /api/parameter-sets
    setsFile: '',
    draws: '',
    plan: null,         // the last plan's answer
    job: null,          // the last job's status
    comparison: null,
    layouts: new Map(), // district set -> layout
  };
  window.tryggApp = {ready: false, job: null, status: null, seen: []};

  // ---- texts --------------------------------------------------------------------------------

  function t(key, values) {
    const catalogue = state.texts[state.lang] || {};
    let text = catalogue[key];
    if (text === undefined) text = key;  // shows as a key: the test looks for these
    if (values) {
      text = text.replace(/\{([a-z_]+)\}/g, (whole, name) =>
        (values[name] === undefined ? whole : String(values[name])));
    }
    return text;
  }

  function has(key) {
    return Object.prototype.hasOwnProperty.call(state.texts[state.lang] || {}, key);
  }

  function localised(value) {
    // a label that is a text, or {sv, en}
    if (value && typeof value === 'object') return value[state.lang] || value.sv || value.en || '';
    return value === undefined || value === null ? '' : String(value);
  }

  function number(value, digits) {
    if (value === null || value === undefined || !Number.isFinite(Number(value))) return '–';
    const options = digits === undefined ? {maximumSignificantDigits: 3}
      : {minimumFractionDigits: digits, maximumFractionDigits: digits};
    return new Intl.NumberFormat(LOCALES[state.lang], options).format(Number(value));
  }

  function plain(value) {
    // a setting's value as the planner reads it: all its digits, the language's decimal mark
    if (typeof value !== 'number') return String(value);
    return new Intl.NumberFormat(LOCALES[state.lang], {maximumFractionDigits: 10})
      .format(value);
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(Number(seconds) || 0));
    if (s < 60) return t('app.time.seconds', {s: s});
    if (s < 3600) return t('app.time.minutes', {m: Math.floor(s / 60), s: s % 60});
    return t('app.time.hours', {h: Math.floor(s / 3600), m: Math.round((s % 3600) / 60)});
  }

  function bytes(value) {
    const mb = Number(value) / 1e6;
    if (mb < 1000) return t('app.unit.mb', {value: number(mb, mb < 10 ? 1 : 0)});
    return t('app.unit.gb', {value: number(mb / 1000, 1)});
  }

  function percent(share) {
    return t('app.percent', {value: number(100 * share, Math.abs(share) < 0.1 ? 1 : 0)});
  }

  function idPart(name) {
    return String(name).replace(/[^\p{L}\p{N}_-]+/gu, '_');
  }

  // ---- DOM helpers --------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  function el(tag, attributes, ...children) {
    const svg = ['svg', 'g', 'circle', 'line', 'text', 'rect'].includes(tag);
    const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag)
      : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (name === 'text') node.textContent = value;
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // ---- the server ---------------------------------------------------------------------------

  function withToken(url) {
    if (!token) return url;
    return url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
  }

  class ServerError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body, contentType) {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = contentType || 'application/yaml';
    let response;
    try {
      response = await fetch(path, {method: method, headers: headers, body: body,
        cache: 'no-store'});
    } catch (error) {
      throw new ServerError(0, '');
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (error) {
      json = null;
    }
    if (!response.ok) {
      const message = json && typeof json.error === 'string' ? json.error : text;
      throw new ServerError(response.status, message);
    }
    return {status: response.status, json: json};
  }

  // ---- errors -------------------------------------------------------------------------------

  function showError(error) {
    const box = clear($('error'));
    if (!error) return;
    if (error instanceof ServerError && error.status === 0) {
      box.appendChild(el('p', {text: t('app.error.network')}));
    } else if (error instanceof ServerError) {
      box.appendChild(el('p', {text: t('app.error.server', {status: error.status})}));
      // the server's own words, verbatim (they name the line, column and key); trygg writes
      // its messages in English
      box.appendChild(el('pre', {class: 'server-message', lang: 'en', text: error.message}));
    } else if (error && error.key) {
      box.appendChild(el('p', {text: t(error.key, error.values)}));
    } else {
      box.appendChild(el('p', {text: t('app.error.page')}));
      box.appendChild(el('pre', {class: 'server-message', lang: 'en', text: String(error)}));
    }
  }

  class PageError extends Error {
    constructor(key, values) {
      super(key);
      this.key = key;
      this.values = values;
    }
  }

  // ---- scenario, districts -------------------------------------------------------------------

  function districts() {
    if (state.data) return state.data.districts || [];
    return (state.scenario && state.scenario.districts) || [];
  }

  function figure(value) {
    return value && typeof value === 'object' && 'value' in value ? value.value : value;
  }

  function chooseScenario(id) {
    state.scenario = state.scenarios.find((s) => s.id === id) || state.scenarios[0] || null;
    if (!state.scenario) return;
    state.replicates = String(state.scenario.replicates);
    state.scale = String(state.scenario.scale);
    for (const arm of state.arms) {
      for (const measure of Object.values(arm.measures)) measure.districts.clear();
    }
    state.plan = null;
    renderAll();
  }

  function renderScenario() {
    const select = $('scenario-select');
    clear(select);
    for (const s of state.scenarios) {
      select.appendChild(el('option', {value: s.id, selected: state.scenario === s, text: s.name}));
    }
    const info = clear($('scenario-info'));
    const s = state.scenario;
    if (!s) return;
    // The shipped scenarios describe themselves in English.
    if (s.description) info.appendChild(el('p', {lang: 'en', class: 'description', text: s.description}));
    info.appendChild(el('p', {text: t('app.start.meta', {
      replicates: s.replicates, start: s.start, years: s.horizon_years, scale: plain(s.scale)})}));
    const list = districts();
    const residents = list.reduce((sum, d) => sum + (Number(figure(d.population)) || 0), 0);
    const details = el('details', {class: 'districts'},
      el('summary', {text: t(state.data ? 'app.data.districts' : 'app.start.districts',
        {count: list.length, residents: number(residents, 0)})}));
    const table = el('table', {},
      el('caption', {class: 'sr-only', text: t('app.start.districts_caption')}),
      el('thead', {}, el('tr', {},
        el('th', {scope: 'col', text: t('app.column.district')}),
        el('th', {scope: 'col', text: t('app.column.kind')}),
        el('th', {scope: 'col', class: 'number', text: t('app.column.residents')}))));
    const body = el('tbody');
    for (const d of list) {
      const kind = has('app.kind.' + d.kind) ? t('app.kind.' + d.kind) : (d.kind || '');
      body.appendChild(el('tr', {},
        el('th', {scope: 'row', text: d.name}),
        el('td', {text: kind}),
        el('td', {class: 'number', text: number(figure(d.population), 0)})));
    }
    table.appendChild(body);
    details.appendChild(table);
    info.appendChild(details);
  }

  function renderData() {
    const status = clear($('data-status'));
    $('data-reset').hidden = !state.data;
    if (!state.data) return;
    status.appendChild(document.createTextNode(t('app.data.loaded', {
      file: state.data.file, count: (state.data.districts || []).length})));
    const missing = droppedFocus();
    if (missing.length) {
      status.appendChild(el('br'));
      status.appendChild(document.createTextNode(t('app.data.focus_dropped',
        {districts: missing.join(', ')})));
    }
  }

  function droppedFocus() {
    // the shipped scenario's focus districts that the uploaded data file lacks
    if (!state.data || !state.scenario) return [];
    const names = new Set((state.data.districts || []).map((d) => d.name));
    return (state.scenario.focus_districts || []).filter((name) => !names.has(name));
  }

  function focusDistricts() {
    if (!state.scenario) return [];
    if (!droppedFocus().length && (state.scenario.focus_districts || []).length) {
      return state.scenario.focus_districts;
    }
    return districts().filter((d) => d.police_list && d.police_list !== 'none')
      .map((d) => d.name);
  }

  function readDataFile(file) {
    showError(null);
    const status = clear($('data-status'));
    status.textContent = t('app.data.uploading', {file: file.name});
    const reader = new FileReader();
    reader.onerror = () => {
      status.textContent = '';
      showError(new PageError('app.error.read_file', {file: file.name}));
    };
    reader.onload = async () => {
      try {
        const answer = await api('POST', '/api/data', reader.result);
        state.data = {path: answer.json.path, districts: answer.json.districts || [],
          file: file.name};
        for (const arm of state.arms) {
          for (const measure of Object.values(arm.measures)) measure.districts.clear();
        }
        state.plan = null;
        renderAll();
      } catch (error) {
        status.textContent = '';
        showError(error);
      }
    };
    reader.readAsText(file);
  }

  // ---- the schema's measures ----------------------------------------------------------------

  function objectOf(schema) {
    // a measure's schema is {anyOf: [{type: object, properties}, {type: null}]} or an object
    if (!schema) return null;
    if (schema.properties) return schema;
    for (const option of schema.anyOf || schema.oneOf || []) {
      if (option && option.properties) return option;
    }
    return null;
  }

  function readSchema(schema) {
    const arms = schema.properties.arms.additionalProperties;
    const arm = objectOf(arms);
    const measures = arm.properties.measures.properties;
    state.measures = {};
    for (const [kind, measureSchema] of Object.entries(measures)) {
      const object = objectOf(measureSchema);
      if (!object) continue;
      const fields = {};
      for (const [name, field] of Object.entries(object.properties)) {
        if (name === 'label') continue;  // the arm has its own label
        // settings a measure does not use (capacity of school quality) are not shown
        if (/^Unused\b/.test(field.description || '')) continue;
        fields[name] = field;
      }
      state.measures[kind] = {description: measureSchema.description || '', fields: fields};
    }
  }

  function measureName(kind) {
    return has('app.measure.' + kind) ? t('app.measure.' + kind) : kind;
  }

  function fieldLabel(kind, name) {
    if (has('app.field.' + kind + '.' + name)) return t('app.field.' + kind + '.' + name);
    if (has('app.field.' + name)) return t('app.field.' + name);
    return null;
  }

  function unitText(unit) {
    if (!unit) return null;
    const key = 'app.unit.' + unit.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return has(key) ? {text: t(key)} : {text: unit, lang: 'en'};
  }

  function scenarioDates() {
    // a measure runs from the scenario's start to the end of its horizon unless dates say
    // otherwise: those are the start and end fields' defaults, whatever the schema's say
    const s = state.scenario;
    if (!s || !/^\d{4}-\d\d-\d\d$/.test(s.start || '') || !s.horizon_years) return null;
    const [y, m, d] = s.start.split('-').map(Number);
    const end = new Date(Date.UTC(y + Math.round(Number(s.horizon_years)), m - 1, d) - 86400000);
    return {start: s.start, end: end.toISOString().slice(0, 10)};
  }

  function withDefault(name, field) {
    const dates = scenarioDates();
    if (dates && (name === 'start' || name === 'end') && field.type === 'string') {
      return Object.assign({}, field, {default: dates[name]});
    }
    return field;
  }

  function isNumberField(field) {
    return field.type === 'number' || field.type === 'integer';
  }

  function defaultText(field) {
    if (field.default === undefined) return null;
    return plain(field.default);
  }

  // ---- arms ---------------------------------------------------------------------------------

  function newArm() {
    const n = state.nextArm++;
    const taken = new Set(state.arms.map((a) => a.key));
    let i = n;
    while (taken.has('arm_' + i)) i += 1;
    const arm = {n: n, key: 'arm_' + i, label: '', measures: {}};
    for (const kind of Object.keys(state.measures)) {
      arm.measures[kind] = {on: false, values: {}, districts: new Set()};
    }
    state.arms.push(arm);
    renderArms();
    const key = $('arm-' + n + '-key');
    if (key) key.focus();
  }

  function importArms() {
    // the shipped scenario's own arms, as arms the planner can edit or remove
    const s = state.scenario;
    if (!s) return;
    const names = new Set(districts().map((d) => d.name));
    let first = null;
    for (const shipped of s.arms || []) {
      if (shipped.name === 'baseline' || !shipped.measures ||
          !Object.keys(shipped.measures).length) continue;
      const taken = new Set(state.arms.map((a) => a.key));
      let key = shipped.name;
      for (let i = 2; taken.has(key); i++) key = shipped.name + '_' + i;
      const arm = {n: state.nextArm++, key: key, label: localised(shipped.label),
        labels: shipped.label && typeof shipped.label === 'object' ? shipped.label : null,
        measures: {}};
      for (const kind of Object.keys(state.measures)) {
        const settings = shipped.measures[kind];
        const measure = {on: !!settings, values: {}, districts: new Set()};
        for (const [name, value] of Object.entries(settings || {})) {
          if (name === 'districts') {
            for (const d of value || []) if (names.has(d)) measure.districts.add(d);
          } else if (state.measures[kind].fields[name] && value !== null &&
                     typeof value !== 'object') {
            measure.values[name] = String(value);
          }
        }
        arm.measures[kind] = measure;
      }
      state.arms.push(arm);
      if (!first) first = arm;
    }
    renderArms();
    if (first && $('arm-' + first.n + '-key')) $('arm-' + first.n + '-key').focus();
  }

  function removeArm(n) {
    state.arms = state.arms.filter((a) => a.n !== n);
    renderArms();
    $('add-arm').focus();
  }

  function keyProblem(arm) {
    if (!KEY_PATTERN.test(arm.key)) return {key: 'app.arms.key_invalid'};
    if (arm.key === 'baseline' || state.arms.some((a) => a !== arm && a.key === arm.key)) {
      return {key: 'app.arms.key_taken', values: {key: arm.key}};
    }
    return null;
  }

  function renderArms() {
    const box = clear($('arms'));
    for (const arm of state.arms) box.appendChild(renderArm(arm));
  }

  function renderArm(arm) {
    const id = 'arm-' + arm.n;
    // a label from the scenario in both languages stays so until the planner edits it
    if (arm.labels) arm.label = localised(arm.labels);
    const title = arm.label || arm.key;
    const heading = el('h3', {id: id + '-title', text: t('app.arms.heading', {n: arm.n, name: title})});
    const problem = keyProblem(arm);
    const keyError = el('p', {id: id + '-key-error', class: 'field-error',
      text: problem ? t(problem.key, problem.values) : ''});
    const key = el('input', {type: 'text', id: id + '-key', value: arm.key, required: true,
      pattern: '[a-z0-9_]+', autocomplete: 'off', spellcheck: 'false',
      'aria-invalid': problem ? 'true' : 'false',
      'aria-describedby': id + '-key-help ' + id + '-key-error'});
    key.addEventListener('input', () => {
      arm.key = key.value.trim();
      const p = keyProblem(arm);
      key.setAttribute('aria-invalid', p ? 'true' : 'false');
      keyError.textContent = p ? t(p.key, p.values) : '';
      heading.textContent = t('app.arms.heading', {n: arm.n, name: arm.label || arm.key});
    });
    const label = el('input', {type: 'text', id: id + '-label', value: arm.label, maxlength: 40,
      autocomplete: 'off'});
    label.addEventListener('input', () => {
      arm.label = label.value;
      arm.labels = null;
      heading.textContent = t('app.arms.heading', {n: arm.n, name: arm.label || arm.key});
    });
    const remove = el('button', {type: 'button', id: id + '-remove', class: 'remove',
      text: t('app.arms.remove', {name: title}), onclick: () => removeArm(arm.n)});
    const measures = el('fieldset', {class: 'measures'},
      el('legend', {text: t('app.arms.measures')}));
    for (const kind of Object.keys(state.measures)) {
      measures.appendChild(renderMeasure(arm, kind));
    }
    return el('section', {class: 'arm', id: id, 'aria-labelledby': id + '-title'},
      heading,
      el('div', {class: 'field'},
        el('label', {for: id + '-key', text: t('app.arms.key')}),
        key,
        el('p', {id: id + '-key-help', class: 'help', text: t('app.arms.key_help')}),
        keyError),
      el('div', {class: 'field'},
        el('label', {for: id + '-label', text: t('app.arms.label')}),
        label),
      measures,
      remove);
  }

  function renderMeasure(arm, kind) {
    const measure = arm.measures[kind];
    const id = 'arm-' + arm.n + '-' + kind;
    const boxId = 'arm-' + arm.n + '-measure-' + kind;
    const body = el('div', {class: 'measure-body', id: id + '-body', hidden: !measure.on});
    const box = el('input', {type: 'checkbox', id: boxId, checked: measure.on,
      'aria-controls': id + '-body'});
    box.addEventListener('change', () => {
      measure.on = box.checked;
      body.hidden = !measure.on;
      if (measure.on && !body.firstChild) fillMeasure(body, arm, kind);
    });
    if (measure.on) fillMeasure(body, arm, kind);
    return el('div', {class: 'measure'},
      el('div', {class: 'measure-head'}, box,
        el('label', {for: boxId, text: t('app.measure.include', {measure: measureName(kind)})})),
      body);
  }

  function fillMeasure(body, arm, kind) {
    const fields = state.measures[kind].fields;
    const id = 'arm-' + arm.n + '-' + kind;
    if (fields.districts) body.appendChild(renderDistricts(arm, kind));
    const basic = el('div', {class: 'fields'});
    const more = el('div', {class: 'fields'});
    for (const [name, field] of Object.entries(fields)) {
      if (name === 'districts') continue;
      const row = renderField(arm, kind, name, field);
      if (!row) continue;
      (BASIC_FIELDS.includes(name) ? basic : more).appendChild(row);
    }
    body.appendChild(basic);
    if (more.firstChild) {
      body.appendChild(el('details', {class: 'more', id: id + '-more'},
        el('summary', {text: t('app.measure.more')}), more));
    }
  }

  function renderField(arm, kind, name, schemaField) {
    const field = withDefault(name, schemaField);
    const id = 'arm-' + arm.n + '-' + kind + '-' + name;
    const values = arm.measures[kind].values;
    const numeric = isNumberField(field);
    const date = field.type === 'string' && (field.format === 'date' || /\d{4}-\d\d-\d\d/.test(
      field.pattern || ''));
    if (!numeric && !date) return null;  // texts and lists other than districts: not in forms
    const start = values[name] !== undefined ? values[name]
      : (field.default === undefined ? '' : String(field.default));
    const input = el('input', {
      id: id, type: numeric ? 'number' : 'date', value: start,
      min: numeric ? field.minimum : null, max: numeric ? field.maximum : null,
      step: numeric ? (field.type === 'integer' ? 1 : 'any') : null,
      'aria-describedby': id + '-info'});
    const info = el('span', {class: 'info', id: id + '-info'});
    const mark = el('span', {class: 'changed', text: t('app.field.changed')});
    const update = () => {
      mark.hidden = !changed(field, input.value);
    };
    input.addEventListener('input', () => {
      values[name] = input.value;
      update();
    });
    update();
    const parts = [];
    const defaultValue = defaultText(field);
    if (defaultValue !== null) parts.push(el('span', {text: t('app.field.default', {value: defaultValue})}));
    const unit = unitText(field['x-unit']);
    if (unit) parts.push(el('span', {class: 'unit', lang: unit.lang, text: unit.text}));
    const flag = field['x-flag'];
    if (flag) {
      const flagName = has('flag.' + flag) ? t('flag.' + flag) : flag;
      const letter = has('flag_letter.' + flag) ? t('flag_letter.' + flag) : flag;
      // the source is the evidence's own citation, in English
      parts.push(el('span', {class: 'flag flag-' + flag,
        title: flagName + (field['x-source'] ? ': ' + field['x-source'] : '')},
      el('span', {'aria-hidden': 'true', text: letter}),
      el('span', {class: 'sr-only', text: flagName})));
    }
    parts.forEach((part, i) => {
      if (i > 0) info.appendChild(document.createTextNode(' · '));
      info.appendChild(part);
    });
    info.appendChild(document.createTextNode(' '));
    info.appendChild(mark);
    const label = fieldLabel(kind, name);
    const labelNode = label !== null ? el('label', {for: id, text: label})
      : el('label', {for: id}, el('code', {text: name}));
    if (label === null && field.description) labelNode.setAttribute('title', field.description);
    return el('div', {class: 'field'}, labelNode, input, info);
  }

  function changed(field, value) {
    if (value === '' || value === undefined) return false;
    if (field.default === undefined) return true;
    if (isNumberField(field)) return Number(value) !== Number(field.default);
    return String(value) !== String(field.default);
  }

  // ---- districts: the schematic map and the list ---------------------------------------------

  function layout(list) {
    // A deterministic force-directed layout (Fruchterman-Reingold) of the district graph: the
    // nodes start on a circle in the data's order, then 400 rounds of repulsion between every
    // pair, attraction along the neighbours' edges and a pull to the middle, with a cooling
    // step. No randomness: the same districts give the same map.
    const names = list.map((d) => d.name);
    const memo = names.join('\u0000');
    if (state.layouts.has(memo)) return state.layouts.get(memo);
    const n = names.length;
    const index = new Map(names.map((name, i) => [name, i]));
    const edges = [];
    const seen = new Set();
    list.forEach((d, i) => {
      for (const other of d.neighbours ? (figure(d.neighbours) || []) : []) {
        const j = index.get(other);
        if (j === undefined || j === i) continue;
        const pair = i < j ? i + ':' + j : j + ':' + i;
        if (seen.has(pair)) continue;
        seen.add(pair);
        edges.push([Math.min(i, j), Math.max(i, j)]);
      }
    });
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const angle = 2 * Math.PI * i / Math.max(n, 1);
      x[i] = Math.cos(angle);
      y[i] = Math.sin(angle);
    }
    const k = Math.sqrt(4 / Math.max(n, 1));
    const rounds = 400;
    for (let round = 0; round < rounds; round++) {
      const dx = new Float64Array(n);
      const dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ex = x[i] - x[j];
          let ey = y[i] - y[j];
          let d = Math.hypot(ex, ey);
          if (d < 1e-6) {
            ex = 1e-3 * (i - j);
            ey = 1e-3;
            d = Math.hypot(ex, ey);
          }
          const f = k * k / d;
          dx[i] += ex / d * f; dy[i] += ey / d * f;
          dx[j] -= ex / d * f; dy[j] -= ey / d * f;
        }
      }
      for (const [i, j] of edges) {
        const ex = x[i] - x[j];
        const ey = y[i] - y[j];
        const d = Math.max(Math.hypot(ex, ey), 1e-6);
        const f = d * d / k;
        dx[i] -= ex / d * f; dy[i] -= ey / d * f;
        dx[j] += ex / d * f; dy[j] += ey / d * f;
      }
      const temperature = 0.1 * (1 - round / rounds) + 0.002;
      for (let i = 0; i < n; i++) {
        dx[i] -= 0.05 * x[i] * k;
        dy[i] -= 0.05 * y[i] * k;
        const d = Math.hypot(dx[i], dy[i]);
        if (d > 0) {
          x[i] += dx[i] / d * Math.min(d, temperature);
          y[i] += dy[i] / d * Math.min(d, temperature);
        }
      }
    }
    const width = 760;
    const height = 520;
    const pad = {x: 80, y: 24};
    const minX = Math.min(...x);
    const maxX = Math.max(...x);
    const minY = Math.min(...y);
    const maxY = Math.max(...y);
    const sx = (width - 2 * pad.x) / Math.max(maxX - minX, 1e-9);
    const sy = (height - 2 * pad.y - 16) / Math.max(maxY - minY, 1e-9);
    const points = names.map((name, i) => ({
      name: name,
      x: pad.x + (x[i] - minX) * sx,
      y: pad.y + (y[i] - minY) * sy,
    }));
    const result = {width: width, height: height, points: points, edges: edges};
    state.layouts.set(memo, result);
    return result;
  }

  function renderDistricts(arm, kind) {
    const measure = arm.measures[kind];
    const id = 'arm-' + arm.n + '-' + kind;
    const list = districts();
    const chosen = el('p', {class: 'chosen', id: id + '-chosen', 'aria-live': 'polite'});
    const nodes = new Map();
    const boxes = new Map();
    const refresh = () => {
      const names = list.map((d) => d.name).filter((name) => measure.districts.has(name));
      chosen.textContent = names.length ? t('app.districts.chosen', {districts: names.join(', ')})
        : t('app.districts.whole');
      for (const [name, node] of nodes) {
        node.setAttribute('class', 'node' + (measure.districts.has(name) ? ' on' : ''));
      }
      for (const [name, box] of boxes) box.checked = measure.districts.has(name);
    };
    const toggle = (name, on) => {
      if (on === undefined) on = !measure.districts.has(name);
      if (on) measure.districts.add(name);
      else measure.districts.delete(name);
      refresh();
    };
    // The map is for the mouse; the list below gives the same choice to the keyboard and to
    // screen readers, so the map is hidden from them.
    const map = layout(list);
    const svg = el('svg', {id: id + '-map', class: 'map', viewBox: '0 0 ' + map.width + ' ' +
      map.height, 'aria-hidden': 'true', focusable: 'false'});
    for (const [i, j] of map.edges) {
      svg.appendChild(el('line', {x1: map.points[i].x.toFixed(1), y1: map.points[i].y.toFixed(1),
        x2: map.points[j].x.toFixed(1), y2: map.points[j].y.toFixed(1), class: 'edge'}));
    }
    for (const point of map.points) {
      const width = Math.max(24, point.name.length * 6.4 + 8);
      const node = el('g', {id: id + '-district-' + idPart(point.name), class: 'node',
        'data-district': point.name,
        transform: 'translate(' + point.x.toFixed(1) + ' ' + point.y.toFixed(1) + ')'},
      el('rect', {class: 'hit', x: (-width / 2).toFixed(1), y: -10, width: width.toFixed(1),
        height: 34}),
      el('circle', {r: 8}),
      el('text', {y: 21, 'text-anchor': 'middle', text: point.name}));
      node.addEventListener('click', () => toggle(point.name));
      nodes.set(point.name, node);
      svg.appendChild(node);
    }
    const checks = el('ul', {class: 'checks'});
    for (const d of list) {
      const boxId = id + '-check-' + idPart(d.name);
      const box = el('input', {type: 'checkbox', id: boxId, 'data-district': d.name});
      box.addEventListener('change', () => toggle(d.name, box.checked));
      boxes.set(d.name, box);
      checks.appendChild(el('li', {}, box, el('label', {for: boxId, text: d.name})));
    }
    refresh();
    return el('fieldset', {class: 'districts-choice'},
      el('legend', {text: t('app.districts.legend')}),
      el('p', {class: 'help', text: t('app.districts.help')}),
      el('figure', {class: 'map-figure'}, svg,
        el('figcaption', {text: t('app.districts.map')})),
      chosen,
      el('details', {class: 'district-list'},
        el('summary', {text: t('app.districts.list')}), checks));
  }

  // ---- the scenario document ----------------------------------------------------------------

  function documentOf() {
    const s = state.scenario;
    if (!s) throw new PageError('app.error.no_scenario');
    for (const arm of state.arms) {
      const problem = keyProblem(arm);
      if (problem) throw new PageError(problem.key, problem.values);
    }
    const replicates = Number(state.replicates);
    if (!Number.isInteger(replicates) || replicates < 1) {
      throw new PageError('app.error.replicates');
    }
    const scale = Number(state.scale);
    if (!(scale > 0) || state.scale === '') throw new PageError('app.error.scale');
    const population = {scale: scale};
    if (state.data) population.data = state.data.path;
    // The baseline has no measures; it keeps the shipped scenario's label and description
    // ("Nuläge" in the Swedish report, not the key).
    const baseline = {};
    const shippedBaseline = (s.arms || []).find((a) => a.name === 'baseline');
    for (const what of ['label', 'description']) {
      const value = shippedBaseline && shippedBaseline[what];
      if (value && (typeof value !== 'object' || Object.values(value).some((v) => v))) {
        baseline[what] = value;
      }
    }
    const arms = {baseline: baseline};
    for (const arm of state.arms) {
      const entry = {};
      if (arm.labels) entry.label = arm.labels;
      else if (arm.label.trim()) entry.label = arm.label.trim();
      const measures = {};
      for (const [kind, measure] of Object.entries(arm.measures)) {
        if (!measure.on) continue;
        const settings = {};
        const fields = state.measures[kind].fields;
        if (fields.districts && measure.districts.size) {
          // in the data's order, not the order of the clicks
          settings.districts = districts().map((d) => d.name)
            .filter((name) => measure.districts.has(name));
        }
        for (const [name, value] of Object.entries(measure.values)) {
          const field = fields[name] && withDefault(name, fields[name]);
          if (!field || !changed(field, value)) continue;  // only what the planner changed
          settings[name] = isNumberField(field) ? Number(value) : value;
        }
        measures[kind] = settings;
      }
      if (Object.keys(measures).length) entry.measures = measures;
      arms[arm.key] = entry;
    }
    const doc = {extends: s.file, name: s.name, replicates: replicates, population: population,
      arms: arms};
    if (droppedFocus().length) doc.report = {focus_districts: []};
    return doc;
  }

  // ---- plan ---------------------------------------------------------------------------------

  // The address part that asks for a parameter ensemble (docs/app.md): the calibration's
  // accepted sets and how many to draw; replicates are then per set.
  function ensembleQuery() {
    if (!state.ensemble || !state.setsFile) return '';
    return '?parameter_sets=' + encodeURIComponent(state.setsFile) +
      '&draws=' + encodeURIComponent(state.draws);
  }

  // The scenario document as the server takes it (JSON, which is YAML too), or null when the
  // page's own checks refuse it (the error is shown).
  function documentText() {
    try {
      return JSON.stringify(documentOf(), null, 1);
    } catch (error) {
      showError(error);
      return null;
    }
  }

  async function plan() {
    showError(null);
    const box = clear($('plan-result'));
    box.removeAttribute('data-fits');
    const body = documentText();
    if (body === null) return;
    box.textContent = t('app.plan.working');
    $('plan-button').disabled = true;
    try {
      const answer = await api('POST', '/api/plan' + ensembleQuery(), body);
      state.plan = answer.json;
      renderPlan();
    } catch (error) {
      state.plan = null;
      clear(box);
      showError(error);
    } finally {
      $('plan-button').disabled = false;
    }
  }

  function renderPlan() {
    const box = clear($('plan-result'));
    const p = state.plan;
    if (!p) return;
    box.setAttribute('data-fits', p.fits ? 'true' : 'false');
    box.appendChild(el('p', {text: t('app.plan.result', {
      runs: number(p.runs, 0), time: duration(p.seconds), peak: bytes(p.peak_bytes),
      available: bytes(p.available_bytes), threads: p.threads})}));
    box.appendChild(el('p', {class: p.fits ? 'fits' : 'no-fit',
      text: t(p.fits ? 'app.plan.fits' : 'app.plan.no_fit')}));
  }

  // ---- run ----------------------------------------------------------------------------------

  let pollTimer = null;
  // The statuses of a job that is not finished (docs/app.md): the page keeps polling them.
  const GOING = ['queued', 'running', 'writing', 'cancelling'];

  async function run() {
    showError(null);
    const body = documentText();
    if (body === null) return;
    $('run-button').disabled = true;
    $('step-results').hidden = true;
    state.comparison = null;
    try {
      const answer = await api('POST', '/api/runs' + ensembleQuery(), body);
      state.job = {id: answer.json.id, status: answer.json.status || 'queued',
        position: answer.json.position, runs_done: 0, runs_total: 0, fraction: 0};
      window.tryggApp.job = state.job.id;
      renderJob();
      poll();
    } catch (error) {
      $('run-button').disabled = false;
      showError(error);
    }
  }

  async function poll() {
    if (!state.job) return;
    const id = state.job.id;
    try {
      const answer = await api('GET', '/api/runs/' + encodeURIComponent(id));
      if (!state.job || state.job.id !== id) return;
      state.job = answer.json;
      renderJob();
    } catch (error) {
      showError(error);
    }
    const status = state.job && state.job.status;
    if (GOING.includes(status)) {
      pollTimer = window.setTimeout(poll, POLL_MS);
    } else if (status === 'done') {
      await loadResults(id);
    }
  }

  async function cancel() {
    if (!state.job) return;
    $('cancel-button').disabled = true;
    try {
      // A running job answers cancelling and stops at its runs' next step; the polls go on
      // until they see it cancelled.
      await api('DELETE', '/api/runs/' + encodeURIComponent(state.job.id));
    } catch (error) {
      $('cancel-button').disabled = false;
      showError(error);
    }
  }

  function renderJob() {
    const job = state.job;
    const box = $('run-box');
    if (!job) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    window.tryggApp.status = job.status;
    window.tryggApp.seen.push({status: job.status, fraction: Number(job.fraction),
      runs_done: job.runs_done, runs_total: job.runs_total});
    const active = GOING.includes(job.status);
    $('run-button').disabled = active;
    $('cancel-button').hidden = !active || job.status === 'cancelling';
    if (!active) $('cancel-button').disabled = false;
    const progress = $('progress');
    let fraction = Number(job.fraction);
    if (!Number.isFinite(fraction)) {
      fraction = job.runs_total ? job.runs_done / job.runs_total : 0;
    }
    if (job.status === 'done') fraction = 1;
    progress.value = Math.max(0, Math.min(1, fraction));
    progress.textContent = percent(progress.value);
    const text = $('progress-text');
    text.setAttribute('data-status', job.status);
    const parts = [t('app.run.status', {status: t('app.status.' + job.status)})];
    if (job.status === 'queued' && job.position) {
      parts.push(t('app.run.queued_position', {position: job.position}));
    }
    if (job.runs_total) {
      parts.push(t('app.run.runs_done', {done: job.runs_done || 0, total: job.runs_total}));
    }
    if (active) parts.push(percent(progress.value));
    if (active && job.seconds_left !== undefined && job.seconds_left !== null &&
        Number.isFinite(Number(job.seconds_left))) {
      parts.push(t('app.run.time_left', {time: duration(job.seconds_left)}));
    }
    text.textContent = parts.join(' · ');
    if (job.status === 'failed') {
      clear($('error')).appendChild(el('p', {text: t('app.run.failed')}));
      $('error').appendChild(el('pre', {class: 'server-message', lang: 'en',
        text: job.error || ''}));
    }
  }

  // ---- results ------------------------------------------------------------------------------

  async function loadResults(id) {
    try {
      const answer = await api('GET', '/api/runs/' + encodeURIComponent(id) + '/comparison');
      state.comparison = answer.json;
    } catch (error) {
      showError(error);
      return;
    }
    renderResults();
    $('step-results').hidden = false;
    $('step-results-title').setAttribute('tabindex', '-1');
    $('step-results-title').focus();
  }

  function reportUrl(id) {
    return withToken('/api/runs/' + encodeURIComponent(id) + '/report/' + state.lang + '/');
  }

  function renderResults() {
    const c = state.comparison;
    const job = state.job;
    if (!c || !job) return;
    const id = job.id;
    const box = clear($('comparison'));
    const labels = new Map((c.arms || []).map((a) => [a.name, localised(a.label) || a.name]));
    // the municipality and the focus districts (the scenario's, or, where the data file lacks
    // them, those on the police list); the report has every district
    const focus = new Set(focusDistricts());
    const effects = (c.effects || []).filter((e) => e.outcome === 'reported_offences' &&
      (e.area === 'Municipality' || focus.has(e.area)));
    const arms = [...new Set(effects.map((e) => e.arm))];
    if (!arms.length) box.appendChild(el('p', {text: t('app.results.none')}));
    for (const arm of arms) {
      const rows = effects.filter((e) => e.arm === arm);
      const table = el('table', {id: 'comparison-' + idPart(arm), class: 'comparison'},
        el('caption', {text: t('app.results.caption', {arm: labels.get(arm) || arm})}),
        el('thead', {}, el('tr', {},
          el('th', {scope: 'col', text: t('app.results.area')}),
          el('th', {scope: 'col', class: 'number', text: t('app.results.baseline')}),
          el('th', {scope: 'col', class: 'number', text: t('app.results.change')}),
          el('th', {scope: 'col', class: 'number', text: t('app.results.relative')}),
          el('th', {scope: 'col', text: t('app.results.interval')}),
          el('th', {scope: 'col', text: t('app.results.covers')}))));
      const body = el('tbody');
      for (const e of rows) {
        const area = e.area === 'Municipality' ? t('app.area.municipality') : e.area;
        const covers = e.covers ? 'app.covers.' + String(e.covers).toLowerCase()
          .replace(/[^a-z0-9]+/g, '_') : null;
        const decided = Number.isFinite(e.relative_low) && Number.isFinite(e.relative_high) &&
          (e.relative_low > 0 || e.relative_high < 0);
        body.appendChild(el('tr', {class: decided ? 'decided' : null},
          el('th', {scope: 'row', text: area}),
          el('td', {class: 'number', text: number(e.baseline_mean, 0)}),
          el('td', {class: 'number', text: signed(e.difference, 0)}),
          el('td', {class: 'number', text: signedPercent(e.relative_change)}),
          el('td', {text: t('app.results.interval_value', {
            low: signedPercent(e.relative_low), high: signedPercent(e.relative_high)})}),
          el('td', covers && has(covers) ? {text: t(covers)} : {lang: 'en', text: e.covers || ''})));
      }
      table.appendChild(body);
      box.appendChild(el('div', {class: 'table-wrap'}, table));
    }
    box.appendChild(el('p', {class: 'help', text: t('app.results.note')}));
    const base = '/api/runs/' + encodeURIComponent(id);
    $('download-yaml').href = withToken(base + '/scenario.yaml');
    $('download-result').href = withToken(base + '/result');
    $('download-report').href = reportUrl(id);
    const frame = $('report');
    const src = reportUrl(id);
    if (frame.getAttribute('src') !== src) frame.setAttribute('src', src);
  }

  function signed(value, digits) {
    if (!Number.isFinite(Number(value))) return '–';
    const text = number(value, digits);
    return Number(value) > 0 ? '+' + text : text;
  }

  function signedPercent(share) {
    if (!Number.isFinite(Number(share))) return '–';
    const text = percent(share);
    return Number(share) > 0 ? '+' + text : text;
  }

  // ---- the whole page -----------------------------------------------------------------------

  function renderStatic() {
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll('[data-t-aria]')) {
      node.setAttribute('aria-label', t(node.dataset.tAria));
    }
    for (const node of document.querySelectorAll('[data-t-title]')) {
      node.setAttribute('title', t(node.dataset.tTitle));
    }
    for (const button of document.querySelectorAll('.languages button')) {
      button.setAttribute('aria-pressed', button.dataset.lang === state.lang ? 'true' : 'false');
    }
  }

  function renderSettings() {
    $('replicates').value = state.replicates;
    $('scale').value = state.scale;
    $('uncertainty-parameters').disabled = state.parameterSets.length === 0;
    $('uncertainty-chance').checked = !state.ensemble;
    $('uncertainty-parameters').checked = state.ensemble;
    $('ensemble-fields').hidden = !state.ensemble;
    const select = clear($('parameter-sets'));
    for (const table of state.parameterSets) {
      select.appendChild(el('option', {value: table.file, text: t('app.settings.parameter_sets_option',
        {file: table.file, sets: number(table.sets, 0)})}));
    }
    select.value = state.setsFile;
    $('draws').value = state.draws;
    const chosen = state.parameterSets.find((table) => table.file === state.setsFile);
    if (chosen) {
      $('draws').max = chosen.sets;
      $('draws-help').textContent = t('app.settings.draws_help',
        {sets: number(chosen.sets, 0), value: number(chosen.default_draws, 0)});
    }
    if (state.scenario) {
      $('replicates-help').textContent = t('app.settings.replicates_help',
        {value: state.scenario.replicates});
      $('scale-help').textContent = t('app.settings.scale_help',
        {value: plain(state.scenario.scale)});
    }
  }

  function renderAll() {
    renderStatic();
    renderScenario();
    renderData();
    renderArms();
    renderSettings();
    renderPlan();
    renderJob();
    if (state.comparison) renderResults();
  }

  async function loadTexts(lang) {
    if (!state.texts[lang]) {
      const answer = await api('GET', '/api/text/' + lang);
      state.texts[lang] = answer.json;
    }
  }

  async function setLanguage(lang) {
    try {
      await loadTexts(lang);
    } catch (error) {
      showError(error);
      return;
    }
    state.lang = lang;
    try {
      window.localStorage.setItem('trygg.lang', lang);
    } catch (error) {
      // a page without storage keeps Swedish
    }
    const focused = document.activeElement && document.activeElement.id;
    renderAll();
    if (focused && $(focused)) $(focused).focus();
  }

  async function start() {
    let lang = 'sv';
    try {
      const stored = window.localStorage.getItem('trygg.lang');
      if (LANGUAGES.includes(stored)) lang = stored;
    } catch (error) {
      // no storage: Swedish
    }
    const asked = new URLSearchParams(window.location.search).get('lang');
    if (LANGUAGES.includes(asked)) lang = asked;
    try {
      await loadTexts(lang);
      state.lang = lang;
      renderStatic();
      const [scenarios, schema, tables] = await Promise.all([api('GET', '/api/scenarios'),
        api('GET', '/api/schema'), api('GET', '/api/parameter-sets')]);
      state.scenarios = scenarios.json || [];
      state.parameterSets = tables.json || [];
      if (state.parameterSets.length > 0) {
        state.setsFile = state.parameterSets[0].file;
        state.draws = String(state.parameterSets[0].default_draws);
      }
      state.schema = schema.json;
      readSchema(state.schema);
    } catch (error) {
      renderStatic();
      document.documentElement.classList.remove('loading');
      showError(error);
      return;
    }
    $('scenario-select').addEventListener('change', (event) => chooseScenario(event.target.value));
    $('data-file').addEventListener('change', (event) => {
      const file = event.target.files && event.target.files[0];
      if (file) readDataFile(file);
      event.target.value = '';
    });
    $('data-reset').addEventListener('click', () => {
      state.data = null;
      for (const arm of state.arms) {
        for (const measure of Object.values(arm.measures)) measure.districts.clear();
      }
      state.plan = null;
      renderAll();
      $('data-file').focus();
    });
    $('add-arm').addEventListener('click', newArm);
    $('import-arms').addEventListener('click', importArms);
    $('replicates').addEventListener('input', (event) => {
      state.replicates = event.target.value;
    });
    $('scale').addEventListener('input', (event) => {
      state.scale = event.target.value;
    });
    for (const id of ['uncertainty-chance', 'uncertainty-parameters']) {
      $(id).addEventListener('change', () => {
        state.ensemble = $('uncertainty-parameters').checked;
        state.plan = null;
        renderSettings();
        renderPlan();
      });
    }
    $('parameter-sets').addEventListener('change', (event) => {
      state.setsFile = event.target.value;
      const chosen = state.parameterSets.find((table) => table.file === state.setsFile);
      if (chosen) state.draws = String(chosen.default_draws);
      renderSettings();
    });
    $('draws').addEventListener('input', (event) => {
      state.draws = event.target.value;
    });
    $('plan-button').addEventListener('click', plan);
    $('run-button').addEventListener('click', run);
    $('cancel-button').addEventListener('click', cancel);
    for (const button of document.querySelectorAll('.languages button')) {
      button.addEventListener('click', () => setLanguage(button.dataset.lang));
    }
    const wanted = state.scenarios.find((s) => s.id === 'norrkoping') || state.scenarios[0];
    chooseScenario(wanted ? wanted.id : null);
    if (!wanted) renderAll();
    document.documentElement.classList.remove('loading');
    window.tryggApp.ready = true;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
