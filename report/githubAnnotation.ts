// A GitHub Actions workflow command that shows a failure as an error annotation on the run.

function escData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escProp(s: string): string {
  return escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubErrorAnnotation(title: string, message: string, file?: string): string {
  const props = [...(file ? [`file=${escProp(file)}`] : []), `title=${escProp(title)}`].join(',');
  return `::error ${props}::${escData(message)}`;
}
