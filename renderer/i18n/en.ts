/**
 * English strings: the reference table. Every key here must exist in zh-CN.ts (the type makes it
 * so) and every `{param}` must appear in both languages (test/unit/i18n.test.ts checks it).
 * Keys are flat and dotted; dynamic families (`errors.<code>`, `steps.<id>.title`,
 * `backends.<id>.name`, `reasons.<reason>`) are looked up with template-literal keys.
 */
const en = {
  'app.name': 'ModelPilot',
  'app.tagline': 'From a business need to a trained model',
  'app.language': 'Language',
  'app.dismiss': 'Dismiss',
  'app.errorTitle': 'Something went wrong',

  'home.title': 'Projects',
  'home.intro': 'Each project takes one business need all the way to a trained, tested model you can hand over.',

  'create.title': 'New project',
  'create.name': 'Name',
  'create.namePlaceholder': 'e.g. Churn early warning',
  'create.description': 'Description (optional)',
  'create.descriptionPlaceholder': 'What should this model help your team decide?',
  'create.submit': 'Create project',
  'create.submitting': 'Creating…',
  'create.created': 'Project “{name}” created.',

  'list.title': 'Your projects',
  'list.loading': 'Loading projects…',
  'list.empty': 'No projects yet. Create your first one above to get started.',
  'list.lastOpened': 'Last opened {date}',
  'list.updated': 'Updated {date}',
  'list.neverOpened': 'Not opened yet',
  'list.progress': '{done} of {total} steps done',
  'list.open': 'Open',
  'list.openLabel': 'Open {name}',
  'list.delete': 'Delete',
  'list.deleteLabel': 'Delete {name}',
  'list.deleted': 'Project “{name}” deleted.',
  'list.damagedBadge': 'Can’t be opened',
  'list.corrupt':
    'This project’s file is damaged, so ModelPilot can’t open it. Nothing has been changed; you can restore the file from a backup.',
  'list.tooNew': 'This project was saved by a newer version of ModelPilot. Update the app to open it. Nothing has been changed.',
  'list.folder': 'Folder: {dir}',

  'confirm.deleteTitle': 'Delete “{name}”?',
  'confirm.deleteBody':
    'This permanently removes the project folder, including its data, training runs and exports. It can’t be undone.',
  'confirm.cancel': 'Cancel',
  'confirm.delete': 'Delete',

  'wizard.back': 'All projects',
  'wizard.stepsLabel': 'Wizard steps',
  'wizard.stepNumber': 'Step {n}',
  'wizard.statusDone': 'Done',
  'wizard.statusCurrent': 'You are here',
  'wizard.statusTodo': 'Not done yet',
  'wizard.comingSoon': 'This step is coming in a next version. For now, mark it done to move on.',
  'wizard.comingSoonLast': 'This step is coming in a next version. For now, you can mark it done.',
  'wizard.markDoneContinue': 'Mark done and continue',
  'wizard.markDone': 'Mark done',
  'wizard.alreadyDone': 'This step is done.',
  'wizard.allDone': 'All six steps are done.',

  'steps.needs.title': 'Needs',
  'steps.needs.explain':
    'Describe the business problem in your own words, for example “flag the support tickets that need a fast answer”. ModelPilot will help you turn it into a clear prediction task with measurable targets, such as how often the model must be right, so everyone agrees on what “good enough” means before any training starts.',
  'steps.data.title': 'Data',
  'steps.data.explain':
    'Bring in the examples the model will learn from, such as a spreadsheet or CSV file of past cases with the right answers. ModelPilot will copy them into the project, show you what is inside, point out gaps and problems, and prepare them for training without any code.',
  'steps.model.title': 'Model',
  'steps.model.explain':
    'Choose what kind of model to train. ModelPilot will suggest a good starting point for your task and your data and explain it in plain words; you can change the choice, and the finer settings stay tucked away under “Advanced”.',
  'steps.training.title': 'Training',
  'steps.training.explain':
    'Let the model learn from your data on this computer. You will see live charts of how it improves and an estimate of the time left, and you can pause, resume or stop at any time without losing progress.',
  'steps.evaluation.title': 'Evaluation',
  'steps.evaluation.explain':
    'Check how well the model does on examples it has never seen, against the targets you set in the first step. You will see where it gets things right and wrong, and get a report you can share with your team.',
  'steps.deployment.title': 'Deployment',
  'steps.deployment.explain':
    'Export the trained model as a single file others can use, with a plain-language model card and ready-to-run examples. ModelPilot will check that the exported file gives the same answers as the app.',

  'about.title': 'About this computer',
  'about.loading': 'Checking this computer…',
  'about.version': 'Version',
  'about.hostElectron': 'Desktop app',
  'about.hostWeb': 'In a browser (web host)',
  'about.hostCli': 'Command line',
  'about.system': 'System',
  'about.ladderIntro':
    'ModelPilot trains models with {tensorflow}. Of the backends below, listed fastest first, it uses the first one that works on this computer.',
  'about.forced': 'A setting forces this backend: {backend}',
  'about.colBackend': 'Backend',
  'about.colStatus': 'Status',
  'about.colReason': 'Why',
  'about.statusUsed': 'In use',
  'about.statusAvailable': 'Available',
  'about.statusUnavailable': 'Not available',

  'backends.tfjs-node-gpu.name': 'GPU TensorFlow',
  'backends.tfjs-node-gpu.hint': 'Trains on an NVIDIA graphics card (GPU). The fastest option when this computer has one.',
  'backends.tfjs-node.name': 'Native TensorFlow',
  'backends.tfjs-node.hint': 'TensorFlow built for this computer’s processor. Fast, and needs no graphics card.',
  'backends.wasm.name': 'WebAssembly',
  'backends.wasm.hint':
    'A portable way to run the math at good speed on any computer. Used when native TensorFlow is not installed.',
  'backends.cpu.name': 'JavaScript',
  'backends.cpu.hint': 'Plain JavaScript. Always works, but it is the slowest: the last fallback.',

  'reasons.available': 'Ready to use',
  'reasons.not_installed': 'Not installed on this computer',
  'reasons.no_cuda': 'No NVIDIA graphics driver (CUDA) found',
  'reasons.unsupported_platform': 'Not supported on this operating system',
  'reasons.forced_off': 'Switched off by a setting that picks another backend',
  'reasons.missing_files': 'Installed, but some of its files are missing',

  'terms.backend.label': 'Compute backends',
  'terms.backend.hint':
    'The engine that does the number crunching when a model learns or makes predictions. Faster engines mean shorter training.',
  'terms.tensorflow.label': 'TensorFlow',
  'terms.tensorflow.hint': 'A widely used open-source library for building and training machine-learning models. ModelPilot uses it under the hood.',
  'terms.home.label': 'Projects folder',
  'terms.home.hint': 'Where your projects are saved. Each project is an ordinary folder you can copy, zip or back up.',
  'terms.host.label': 'Running as',
  'terms.host.hint': 'Whether you use ModelPilot as a desktop app or in a web browser connected to a ModelPilot host.',

  'fields.name': 'Project name',
  'fields.description': 'Description',
  'fields.id': 'Project',
  'fields.locale': 'Language',
  'fields.currentStep': 'Current step',
  'fields.completedSteps': 'Completed steps',
  'fields.payload': 'Request',

  'errors.invalid_payload': 'The value for “{field}” was not accepted. Please check it and try again.',
  'errors.invalid_name': 'The project name was not accepted: it needs 1 to 80 characters.',
  'errors.unknown_channel': 'The app asked its engine for something it doesn’t know ({channel}). Please update or restart ModelPilot.',
  'errors.unsupported_in_host': 'This needs the ModelPilot desktop app; it isn’t available in the browser.',
  'errors.not_found': 'That project could not be found. It may have been moved or deleted.',
  'errors.already_exists': 'There are already too many projects named “{name}”. Please choose another name.',
  'errors.project_corrupt': 'This project’s file is damaged, so it can’t be opened. Nothing has been changed on disk.',
  'errors.project_too_new':
    'This project was saved by a newer version of ModelPilot (format {version}; this version reads up to format {supported}). Please update ModelPilot to open it.',
  'errors.io_error': 'ModelPilot couldn’t reach its engine or read a file. Please try again.',
  'errors.io_error_path': 'ModelPilot couldn’t read or write “{path}”. Check that the folder exists and that you may write to it.',
  'errors.internal': 'Something went wrong inside ModelPilot. Please try again; if it keeps happening, restart the app.',
  'errors.data_empty': 'This file has no data rows to learn from.',
  'errors.data_binary':
    'This doesn’t look like a text or spreadsheet file. Please choose a CSV, TSV, JSON, JSON Lines or Excel file.',
  'errors.data_ragged':
    'Some rows have a different number of columns than the header. Check the separator and the quotes in the file.',
  'errors.data_no_columns': 'No columns were found in this file.',
  'errors.data_one_class':
    'The column to predict has only one value. The model needs examples of at least two different answers.',
  'errors.data_no_text_files': 'This folder has no text files to learn from.',
  'errors.data_unreadable': 'The file couldn’t be read. It may be open in another program, or you may not have permission to read it.',
  'errors.data_encoding_unknown':
    'ModelPilot couldn’t tell how the text in this file is encoded. Pick the encoding (for example UTF-8 or GBK) and try again.',
  'errors.data_too_large': 'This file is too large to import.',
  'errors.data_bad_format': 'The file’s contents don’t match its format. Check the file or choose another format.',
  'errors.data_unsupported_format':
    'This file type isn’t supported. Use CSV, TSV, JSON, JSON Lines, Excel (.xlsx) or a folder of text files.',
  'errors.data_column_not_found': 'A column this project uses is missing from the data.',
  'errors.recipe_not_fitted': 'The data preparation isn’t set up yet. Please finish the Data step first.',
  'errors.cancelled': 'Cancelled.',
  'errors.training_data_invalid': 'This data can’t train the chosen model yet (for example, too few examples). Check the Data step.',
  'errors.training_data_mismatch': 'The data changed since this training run started, so it can’t be continued. Start a new run instead.',
  'errors.model_task_mismatch': 'This model doesn’t fit this kind of task. Choose one of the recommended models.',
  'errors.run_not_resumable': 'This training run can’t be continued: it has no saved progress, or it has already finished.',
  'errors.run_corrupt': 'The files of this training run are damaged. Nothing was changed; you can start a new run.',
  'errors.detail.file': 'File: {value}',
  'errors.detail.sheet': 'Sheet: {value}',
  'errors.detail.row': 'Row: {value}',
  'errors.detail.column': 'Column: {value}',
  'errors.detail.path': 'Location: {value}',
};

export type MessageKey = keyof typeof en;
/** The shape every language table must have: exactly the English keys. */
export type Messages = Record<MessageKey, string>;

export default en;
